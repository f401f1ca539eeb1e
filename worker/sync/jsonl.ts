/**
 * Lines of a streamed body, decoded as they arrive: the file is never whole in memory. A
 * body that breaks off mid-way (a cut connection) rejects the iteration rather than ending it.
 */
export async function* jsonlLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
    }
  }
  pending += decoder.decode();
  if (pending) yield pending;
}

export interface BulkGroup {
  parent: Record<string, unknown> & { id: string };
  children: Array<Record<string, unknown>>;
  /** Lines consumed through this group's last line: where a resumed read starts. */
  endLine: number;
}

/** A child whose parent is not the group being read: the output was not grouped. */
export class UngroupedBulkOutputError extends Error {}

/**
 * Joins each parent with the child lines after it (`__parentId`), as the output of a query
 * run with `groupObjects: true` lays them out. Memory holds one parent and its children.
 * The first `skipLines` lines (already applied by an earlier attempt) are read past unparsed.
 */
export async function* groupByParent(lines: AsyncIterable<string>, { skipLines = 0 } = {}): AsyncGenerator<BulkGroup> {
  let lineNumber = 0;
  let current: Omit<BulkGroup, 'endLine'> | undefined;
  for await (const line of lines) {
    lineNumber += 1;
    if (lineNumber <= skipLines || !line.trim()) continue;
    const object = JSON.parse(line) as Record<string, unknown>;
    const parentId = object.__parentId;
    if (parentId === undefined) {
      if (current) yield { ...current, endLine: lineNumber - 1 };
      if (typeof object.id !== 'string') throw new UngroupedBulkOutputError(`line ${lineNumber} has no id`);
      current = { parent: object as BulkGroup['parent'], children: [] };
    } else {
      if (!current || parentId !== current.parent.id) {
        throw new UngroupedBulkOutputError(`line ${lineNumber}: child of ${String(parentId)} is not under its parent`);
      }
      const { __parentId: _parent, ...child } = object;
      current.children.push(child);
    }
  }
  if (current) yield { ...current, endLine: lineNumber };
}
