import type { ModelReport } from '../../../worker/recommend/evaluation';
import { judgeCandidate, type ProtocolMetrics } from '../../../worker/train';

const DAY = 86_400;
const row = (ndcg: number): ModelReport => ({ queries: 100, precision: 0, recall: 0, f1: 0, ndcg, hit: 0, coverage: 0, fitSeconds: 0, peakRssBytes: 0, backend: 'none' });
const forYou = (blend: number, popularity: number): { for_you: ProtocolMetrics } => ({ for_you: { 'next-30d-new': { blend: row(blend), popularity: row(popularity) } } });

describe('judgeCandidate: publish only if not worse', () => {
  it('publishes the first candidate that is not below popularity, and refuses one that is', () => {
    expect(judgeCandidate({ metrics: forYou(0.1, 0.1), dataEnd: 0 }, undefined).publish).toBe(true);
    const below = judgeCandidate({ metrics: forYou(0.09, 0.1), dataEnd: 0 }, undefined);
    expect(below).toMatchObject({ publish: false, reasons: ['for_you next-30d-new: blend ndcg@10 0.0900 vs popularity 0.1000: below the popularity baseline'] });
  });

  it('allows a drop of up to the tolerance against the serving version, not more', () => {
    const serving = { metrics: forYou(0.2, 0.05), dataEnd: 0 };
    expect(judgeCandidate({ metrics: forYou(0.19, 0.05), dataEnd: DAY }, serving, { tolerance: 0.05, maxServingAgeDays: 30 }).publish).toBe(true);
    const worse = judgeCandidate({ metrics: forYou(0.1899, 0.05), dataEnd: DAY }, serving, { tolerance: 0.05, maxServingAgeDays: 30 });
    expect(worse.publish).toBe(false);
    if (!worse.publish) expect(worse.reasons[0]).toMatch(/worse than the serving version/);
  });

  it('stops comparing with a serving version whose data is older than the age limit', () => {
    const serving = { metrics: forYou(0.2, 0.05), dataEnd: 0 };
    expect(judgeCandidate({ metrics: forYou(0.1, 0.05), dataEnd: 31 * DAY }, serving, { tolerance: 0.05, maxServingAgeDays: 30 }).publish).toBe(true);
  });
});
