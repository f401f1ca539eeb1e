import type { Response } from 'express';
import { fromMinorUnits } from '../../shared/money';

/** One column of a CSV export: its header and how a row's cell is read. */
export interface CsvColumn<T> {
  header: string;
  value(row: T): string | number | boolean | null;
  /** Integer minor units, written as a decimal string of the currency ("12.50"). */
  money?: boolean;
}

/**
 * One field per RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled). Text
 * that a spreadsheet would run as a formula (starting with = + - @) is prefixed with `'`.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and one row per item, CRLF-terminated lines (RFC 4180). */
export function toCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[], currency: string): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) {
    lines.push(
      columns
        .map((c) => {
          const v = c.value(row);
          return c.money && typeof v === 'number' ? fromMinorUnits(v, currency) : csvField(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Answers a CSV download named `<name>.csv` (name made of [A-Za-z0-9._-] only). */
export function sendCsv(res: Response, name: string, body: string): void {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_');
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${safe}.csv"`);
  res.send(body);
}
