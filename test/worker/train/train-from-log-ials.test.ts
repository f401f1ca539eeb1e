import * as tf from '@tensorflow/tfjs-core';
import { buildHoldout, FBT_ANCHOR_SEED, PurchaseLogBuilder, seededRandom, topK, type PurchaseLog } from '../../../worker/recommend/evaluation';
import { decodeIalsArtifact } from '../../../worker/recommend/models/ials-artifact';
import { ialsScorer, type IalsFactors } from '../../../worker/recommend/models/ials';
import type { CatalogProduct } from '../../../worker/recommend/placements';
import { forYouBlend } from '../../../worker/recommend/placements/for-you';
import { chooseTfBackend } from '../../../worker/recommend/tf/backend';
import { trainFromLog, type Trained } from '../../../worker/train';

const START = Date.UTC(2026, 0, 1) / 1000;

/** 40 customers over 150 days, each keen on one of four groups of 6 products; 1 product nobody buys. */
function storeLog(): { log: PurchaseLog; products: CatalogProduct[] } {
  const random = seededRandom(11);
  const pick = (n: number) => Math.floor(random() * n);
  const products: CatalogProduct[] = Array.from({ length: 25 }, (_, i) => ({ code: `p${i}`, text: `group ${i % 4} thing ${i}` }));
  const rows: Array<{ invoice: string; stockCode: string; customerId: string | null; time: number }> = [];
  let invoice = 0;
  for (let c = 0; c < 40; c++) {
    for (let k = 0; k < 7; k++) {
      const time = START + pick(150 * 24) * 3600;
      const id = `o${++invoice}`;
      for (let j = 0; j < 3; j++) rows.push({ invoice: id, stockCode: `p${(c % 4) + 4 * pick(6)}`, customerId: `c${c}`, time });
    }
  }
  rows.sort((a, b) => a.time - b.time);
  const builder = new PurchaseLogBuilder();
  for (const r of rows) builder.add({ ...r, description: '' });
  return { log: builder.build(), products };
}

/** Every user's top k item rows by the factors' dot products. */
function topLists(factors: IalsFactors, users: number, k: number): number[][] {
  const score = ialsScorer(factors);
  const scores = new Float64Array(factors.items.length / factors.factors);
  return Array.from({ length: users }, (_, u) => {
    score(u, scores);
    return Array.from(topK(scores, k));
  });
}

describe('trainFromLog: the iALS artifact', () => {
  const { log, products } = storeLog();
  let trained: Trained;
  let tensorsBefore: number;
  let tensorsAfter: number;

  beforeAll(async () => {
    await chooseTfBackend();
    tensorsBefore = tf.memory().numTensors;
    const result = await trainFromLog({ log, products, listLength: 5 });
    tensorsAfter = tf.memory().numTensors;
    if (result.status !== 'trained') throw new Error(`expected a trained store, got ${result.status}: ${result.reasons.join('; ')}`);
    trained = result;
  });

  it('leaks no tensors: as many live tensors after the run as before', () => {
    expect(tensorsBefore).toBeGreaterThanOrEqual(0);
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it('names iALS in for_you and reports the TensorFlow.js backend for the blend', () => {
    expect(trained.choices.for_you.weights).toHaveProperty('iALS');
    expect(forYouBlend.components).toContain('iALS');
    expect(trained.metrics.for_you['next-30d-new']!.blend!.backend).toBe(trained.backend);
    expect(trained.backend).not.toBe('none');
  });

  it('stores the all-data iALS factors with customer ids and product codes as vocabulary, and they round-trip to identical top-k lists', () => {
    expect(trained.artifact).toBeInstanceOf(Uint8Array);
    const decoded = decodeIalsArtifact(trained.artifact!);
    expect(decoded.factors).toBe(64);
    expect(decoded.stockCodes).toEqual(trained.vocabulary);
    expect([...decoded.customerIds].sort()).toEqual(Object.keys(trained.lists.for_you).sort());
    expect(decoded.customerIds).toHaveLength(40);

    // The in-memory factors: the blend's iALS on the same all-data training set, same options (seeded).
    let end = -Infinity;
    for (const t of log.time) if (t > end) end = t;
    const full = buildHoldout(log, { cutoff: end, windowEnd: end, seed: FBT_ANCHOR_SEED }).training;
    expect(full.customerIds).toEqual(decoded.customerIds);
    expect(full.stockCodes).toEqual(decoded.stockCodes);
    const inMemory = forYouBlend.ialsFactors(full, trained.choices.for_you);
    expect(decoded.users).toEqual(inMemory.users);
    expect(decoded.items).toEqual(inMemory.items);

    const k = 5;
    const fromMemory = topLists(inMemory, full.customerIds.length, k);
    const fromArtifact = topLists(decoded, decoded.customerIds.length, k);
    expect(fromArtifact).toEqual(fromMemory);
    // The lists are real rankings, not all-equal scores: they differ between customers of different groups.
    expect(fromMemory.every((list) => list.length === k)).toBe(true);
    expect(new Set(fromMemory.map((list) => list.join())).size).toBeGreaterThan(1);
    // As product codes through each side's own vocabulary.
    const codes = (lists: number[][], vocabulary: readonly string[]) => lists.map((list) => list.map((i) => vocabulary[i]));
    expect(codes(fromArtifact, decoded.stockCodes)).toEqual(codes(fromMemory, full.stockCodes));
  });
});
