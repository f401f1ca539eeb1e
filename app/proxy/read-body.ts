import type { IncomingMessage } from 'node:http';

export type TextBody = { ok: true; text: string } | { ok: false; status: 413 | 400; reason: 'payload_too_large' | 'body_unreadable' };

/**
 * A request body as UTF-8 text, at most `limit` bytes (413 past it, without reading the rest).
 * A content type outside `types` reads as an empty body, which the endpoint refuses as not JSON.
 */
export function readTextBody(req: IncomingMessage, { limit, types }: { limit: number; types: readonly string[] }): Promise<TextBody> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, status: 413, reason: 'payload_too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: TextBody) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        finish({ ok: false, status: 413, reason: 'payload_too_large' });
      } else chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, text: types.includes(type) ? Buffer.concat(chunks).toString('utf8') : '' }));
    req.on('error', () => finish({ ok: false, status: 400, reason: 'body_unreadable' }));
  });
}
