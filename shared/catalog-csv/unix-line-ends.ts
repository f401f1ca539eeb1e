import { Transform, type TransformCallback } from 'node:stream';

/**
 * Rewrites CRLF line ends as LF, bytes otherwise untouched. csv-parse counts the CR and the LF of a
 * CRLF inside a quoted field as two lines, so every line number after such a field (a Windows
 * export of a description with a line break) would be off by one per break; on LF alone its
 * count is the file's.
 */
export function unixLineEnds(): Transform {
  let heldCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let bytes = heldCr ? Buffer.concat([Buffer.from([0x0d]), chunk]) : chunk;
      // A CR that ends the chunk may be the first half of a CRLF split across chunks.
      heldCr = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d;
      if (heldCr) bytes = bytes.subarray(0, bytes.length - 1);
      done(null, dropCrBeforeLf(bytes));
    },
    flush(done: TransformCallback) {
      done(null, heldCr ? Buffer.from([0x0d]) : undefined);
    },
  });
}

function dropCrBeforeLf(bytes: Buffer): Buffer {
  if (!bytes.includes(0x0d)) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) continue;
    out[length++] = bytes[i]!;
  }
  return out.subarray(0, length);
}
