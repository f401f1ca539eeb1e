import fc from 'fast-check';

/** Characters node:http sends in a header value: visible ASCII, space, and latin1 (obs-text). */
const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c));

/** Any header value a client can send, empty included. */
export const headerValue = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 60 }),
  fc.constantFrom('', ' ', 'null', 'undefined', '0', '-1', '[]', '{}', 'a'.repeat(2000), '../../x', '%00', 'é'),
);

/** A shop domain header: valid ones, near misses, and anything. */
export const shopHeader = fc.oneof(
  fc.constantFrom('fuzz.myshopify.com', 'FUZZ.myshopify.com', 'fuzz.myshopify.com.evil.com', '-x.myshopify.com', '.myshopify.com', 'fuzz.myshopify.com ', 'fuzz.myshopify.co', 'a_b.myshopify.com', 'evil.com'),
  headerValue,
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.myshopify\.com$/),
);

/** Text for query parameters and form fields: anything, percent-encoding does the rest. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '%', '%zz', '&', '=', '+', '..', '-1', '0', '99999999999999999999', '1e999', 'NaN', '[]', '{}', 'null', 'x'.repeat(3000)),
);

/** Percent-encodes every byte outside the unreserved set; a Buffer is sent byte for byte (invalid UTF-8 included). */
export function percentEncode(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  let out = '';
  for (const byte of bytes) out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** A query string from pairs (repeats allowed), each side percent-encoded byte by byte. */
export function queryString(pairs: Array<[string | Uint8Array, string | Uint8Array]>): string {
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}
