import { createProgressLine, type DeliveryTally } from '../../../shared/replay';

const tally = (accepted: number): DeliveryTally => ({ sent: accepted, accepted, duplicates: 0, failed: 0, byTopic: {}, failures: [] });

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

describe('progress line', () => {
  it('redraws in place on a terminal, throttled', () => {
    let clock = 0;
    const { writes, stream } = sink(true);
    const progress = createProgressLine({ stream, total: 10, now: () => clock, intervalMs: 100 });
    clock = 100;
    progress.update(tally(1));
    clock = 150;
    progress.update(tally(2));
    clock = 250;
    progress.update(tally(3));
    progress.done(tally(10));
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^\r\x1b\[2Kreplay: 1\/10 10\.0% settled/);
    expect(writes[2]).toMatch(/10\/10 100\.0% settled.*\n$/);
  });

  it('writes whole lines without control characters into a log', () => {
    let clock = 0;
    const { writes, stream } = sink(false);
    const progress = createProgressLine({ stream, now: () => clock });
    clock = 6_000;
    progress.update(tally(5));
    progress.done(tally(6));
    expect(writes).toEqual([expect.stringMatching(/^replay: 5 settled, 5 accepted.*\n$/), expect.stringMatching(/^replay: 6 settled/)]);
    expect(writes.join('')).not.toMatch(/[\r\x1b]/);
  });
});
