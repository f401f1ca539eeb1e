import type { FieldNode } from './graphql-document';

/** A field the client asked for that the stand-in does not model: answered as a GraphQL error. */
export class UnknownFieldError extends Error {
  constructor(readonly path: string[]) {
    super(`Field '${path[path.length - 1]}' doesn't exist on the stand-in's ${path.slice(0, -1).join('.') || 'root'}`);
  }
}

function typeName(value: unknown): string | undefined {
  return value && typeof value === 'object' ? ((value as { __typename?: string }).__typename ?? undefined) : undefined;
}

/**
 * Keeps only what the selection asks for, under its aliases, as a GraphQL server answers.
 * A field missing from the model (undefined, as opposed to null) is an error rather than a
 * silent null, so a query asking for something the stand-in cannot give fails loudly.
 */
export function project(value: unknown, selections: FieldNode[], path: string[] = []): unknown {
  if (value === null || value === undefined || selections.length === 0) return value ?? null;
  if (Array.isArray(value)) return value.map((item) => project(item, selections, path));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of selections) {
    if (field.onType && typeName(source) && field.onType !== typeName(source)) continue;
    const key = field.alias ?? field.name;
    const here = [...path, field.name];
    if (field.name === '__typename') {
      out[key] = typeName(source) ?? null;
      continue;
    }
    const child = source[field.name];
    if (child === undefined) throw new UnknownFieldError(here);
    out[key] = project(child, field.selections, here);
  }
  return out;
}
