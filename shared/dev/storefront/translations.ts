/** A locale file: nested objects of strings; plural forms as `{one, other}`. */
export type Locale = { [key: string]: string | Locale };

/** `a.b.c` in a locale, with a `count` choosing `one`/`other` the way Shopify does. */
export function lookupTranslation(locale: Locale, key: string, count?: number): string | undefined {
  let node: string | Locale | undefined = locale;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  if (node !== undefined && typeof node !== 'string' && count !== undefined) node = count === 1 ? (node.one ?? node.other) : node.other;
  return typeof node === 'string' ? node : undefined;
}

/**
 * The `t` filter: Shopify writes "Translation missing: en.<key>" for an unknown key and
 * replaces `{{ name }}` with the filter's named arguments.
 */
export function translate(locale: Locale, key: string, values: Record<string, unknown>): string {
  const count = typeof values.count === 'number' ? values.count : undefined;
  const text = lookupTranslation(locale, key, count);
  if (text === undefined) return `Translation missing: en.${key}`;
  return text.replace(/{{\s*(\w+)\s*}}/g, (_, name: string) => (name in values ? String(values[name]) : ''));
}
