import { cachedUserVectors } from '../../../../worker/recommend/blend';

describe('cachedUserVectors', () => {
  it('computes each user once and adds the stored vector on every call', () => {
    const calls: number[] = [];
    const cached = cachedUserVectors((user, scores) => {
      calls.push(user);
      scores[user] = 10 + user;
    }, 3);
    const out = Float64Array.of(1, 1, 1);
    cached(2, out);
    cached(2, out);
    cached(0, out);
    expect(calls).toEqual([2, 0]);
    // Adds, does not overwrite: 1 + 12 + 12 on item 2, 1 + 10 on item 0.
    expect([...out]).toEqual([11, 1, 25]);
  });
});
