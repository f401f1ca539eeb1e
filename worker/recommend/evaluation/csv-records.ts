import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

function isGzip(path: string): boolean {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

function openText(path: string): Readable {
  const file = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  if (!isGzip(path)) return file.setEncoding('utf8');
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip).setEncoding('utf8');
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** RFC 4180 fields of one record whose quotes are balanced. */
export function splitCsvRecord(record: string): string[] {
  if (!record.includes('"')) return record.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Streams the records of a CSV file (plain or gzipped, recognised by its magic bytes), header
 * included. A plain splitter rather than csv-parse: the evaluation reads half a million lines on
 * every run and this is about four times faster; quoted fields, doubled quotes and line breaks
 * inside quotes are still handled.
 */
export async function* readCsvRecords(path: string): AsyncGenerator<string[]> {
  let rest = '';
  let pending = '';
  const emit = function* (line: string): Generator<string[]> {
    const record = pending ? `${pending}\n${line}` : line;
    if (countQuotes(record) % 2 === 1) {
      pending = record;
      return;
    }
    pending = '';
    const trimmed = record.endsWith('\r') ? record.slice(0, -1) : record;
    if (trimmed.length) yield splitCsvRecord(trimmed);
  };
  for await (const chunk of openText(path) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield* emit(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length || pending) yield* emit(rest);
}
