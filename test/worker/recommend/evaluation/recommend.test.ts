import { buildHoldout, evaluationWindows, FBT_ANCHOR_SEED, itemRecommender, userRecommender, type TrainingSet } from '../../../../worker/recommend/evaluation';
import { coOccurrenceModel, popularityModel } from '../../../../worker/recommend/models';
import { A, B, C, D, handLog } from './hand-dataset';

describe('top-k lists from fitted scorers', () => {
  let training: TrainingSet;
  beforeAll(() => {
    const log = handLog();
    const windows = evaluationWindows(log);
    training = buildHoldout(log, { cutoff: windows.testStart, windowEnd: windows.end, seed: FBT_ANCHOR_SEED }).training;
  });

  it('ranks the full catalog for a user, without what they bought when asked', () => {
    const recommend = userRecommender(popularityModel.fit(training), training);
    // Distinct buyers A 2, B 2, C 2, D 1; u1 bought A, B and C.
    expect([...recommend(0, { excludeBought: false })]).toEqual([A, B, C, D]);
    expect([...recommend(0, { excludeBought: true })]).toEqual([D]);
    expect([...recommend(0, { excludeBought: false, k: 2 })]).toEqual([A, B]);
    // The scratch exclusion mask is reset: u3 (bought A, D) is not affected by u1's call.
    expect([...recommend(2, { excludeBought: true })]).toEqual([B, C]);
  });

  it('never returns the anchor', () => {
    const recommend = itemRecommender(coOccurrenceModel.fit(training), training);
    // C shares one basket with each of A, B and D, and is in three baskets itself.
    expect([...recommend(C)]).toEqual([A, B, D]);
  });
});
