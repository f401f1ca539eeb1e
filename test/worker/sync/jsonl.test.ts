import fc from 'fast-check';
import { groupByParent, jsonlLines, UngroupedBulkOutputError } from '../../../worker/sync';

async function* chunks(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function* from(lines: string[]): AsyncGenerator<string> {
  yield* lines;
}

const FILE = [
  '{"id":"gid://shopify/Product/1","title":"Mug"}',
  '{"id":"gid://shopify/ProductVariant/11","__parentId":"gid://shopify/Product/1"}',
  '{"id":"gid://shopify/ProductVariant/12","__parentId":"gid://shopify/Product/1"}',
  '{"id":"gid://shopify/Product/2","title":"Café ☕"}',
  '{"id":"gid://shopify/Product/3","title":"Pot"}',
  '{"id":"gid://shopify/ProductVariant/31","__parentId":"gid://shopify/Product/3"}',
];

describe('JSONL streaming', () => {
  it('yields the same lines however the bytes are split, multi-byte characters included', async () => {
    const text = `${FILE.join('\n')}\n`;
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        async function* split(): AsyncGenerator<Uint8Array> {
          for (let i = 0; i + 1 < points.length; i++) yield bytes.slice(points[i], points[i + 1]);
        }
        expect(await collect(jsonlLines(split()))).toEqual(FILE);
      }),
    );
  });

  it('keeps a last line that has no newline', async () => {
    expect(await collect(jsonlLines(chunks(['a\nb'])))).toEqual(['a', 'b']);
  });

  it('joins children to their parent and reports where each group ends', async () => {
    const groups = await collect(groupByParent(from(FILE)));
    expect(groups.map((g) => [g.parent.id, g.children.map((c) => c.id), g.endLine])).toEqual([
      ['gid://shopify/Product/1', ['gid://shopify/ProductVariant/11', 'gid://shopify/ProductVariant/12'], 3],
      ['gid://shopify/Product/2', [], 4],
      ['gid://shopify/Product/3', ['gid://shopify/ProductVariant/31'], 6],
    ]);
    expect(groups[0]!.children[0]).not.toHaveProperty('__parentId');
  });

  it('resumed at a group end, yields exactly the groups after it', async () => {
    const all = await collect(groupByParent(from(FILE)));
    for (const [index, group] of all.entries()) {
      const rest = await collect(groupByParent(from(FILE), { skipLines: group.endLine }));
      expect(rest).toEqual(all.slice(index + 1));
    }
  });

  it('refuses ungrouped output instead of joining children to the wrong parent', async () => {
    const ungrouped = [FILE[0]!, FILE[3]!, FILE[1]!];
    await expect(collect(groupByParent(from(ungrouped)))).rejects.toThrow(UngroupedBulkOutputError);
  });
});
