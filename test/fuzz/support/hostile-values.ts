import fc from 'fast-check';

/**
 * Values an attacker or a broken client puts where a field is expected: wrong types, numbers
 * past every column's range, text PostgreSQL cannot store (NUL), lone surrogates, dates that do
 * not exist, prototype keys, deep nesting.
 */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    -(2 ** 63),
    1e308,
    -0,
    1.5,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\uffff',
    '9'.repeat(40),
    '99999999999999999999.99',
    '-1',
    '1e5',
    'NaN',
    'Infinity',
    '0x10',
    '2024-02-30T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2024-01-01T00:00:00+99:00',
    '<script>alert(1)</script>',
    "'; drop table orders; --",
    '__proto__',
    'constructor',
    '../../etc/passwd',
    'x'.repeat(10_000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => Number(n)),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], {}, [[]], [null], { __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"polluted":true}}')) },
);

/** Every path of a JSON value (objects and arrays), the root excluded. */
export function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

/** A copy of `value` with the value at `path` replaced (or removed, for `undefined`). */
export function setPath(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(head as number, 1);
    else copy[head as number] = setPath(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === undefined) delete copy[head!];
  else copy[head!] = setPath(copy[head!], rest, replacement);
  return copy;
}

/**
 * A well-formed payload with 1-4 of its fields replaced by hostile values or removed: structured
 * but wrong, which reaches deeper than random bytes.
 */
export function mutated(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  const change = fc.tuple(fc.constantFrom(...paths), fc.option(hostileValue, { freq: 6, nil: undefined }));
  return fc.array(change, { minLength: 1, maxLength: 4 }).map((changes) => changes.reduce<unknown>((v, [path, replacement]) => setPath(v, path, replacement), valid));
}
