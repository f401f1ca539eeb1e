import fc from 'fast-check';
import { PACING_LOOKAHEAD, participationProbability, STRAIGHT_LINE, trafficSchedule } from '../../../shared/sponsored/pacing';
import { dayFraction, spendDay } from '../../../shared/sponsored/spend-day';

const B = 48_000; // a daily budget that makes the look-ahead (1/48) a round 1,000 minor units

describe('participationProbability', () => {
  it('always bids behind the straight line and never a look-ahead ahead of it', () => {
    // At noon 24,000 is due; the band runs to 25,000.
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 20_000, dayFraction: 0.5 })).toBe(1);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 24_000, dayFraction: 0.5 })).toBe(1);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 24_250, dayFraction: 0.5 })).toBeCloseTo(0.75, 12);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 25_000, dayFraction: 0.5 })).toBe(0);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 30_000, dayFraction: 0.5 })).toBe(0);
  });

  it('lets the whole budget go by the end of the day, and no more', () => {
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 47_500, dayFraction: 0.99 })).toBeCloseTo(0.5, 12);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: B, dayFraction: 0.999 })).toBe(0);
  });

  it('never bids without a budget', () => {
    expect(participationProbability({ dailyBudgetMinor: 0, spentTodayMinor: 0, dayFraction: 0.5 })).toBe(0);
    expect(participationProbability({ dailyBudgetMinor: -100, spentTodayMinor: 0, dayFraction: 0.5 })).toBe(0);
    expect(participationProbability({ dailyBudgetMinor: Number.NaN, spentTodayMinor: 0, dayFraction: 0.5 })).toBe(0);
  });

  it('is a hard switch with no look-ahead', () => {
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 23_999, dayFraction: 0.5, lookahead: 0 })).toBe(1);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 24_000, dayFraction: 0.5, lookahead: 0 })).toBe(0);
  });

  it('follows a schedule when given one', () => {
    // All the traffic expected in the second half of the day: nothing is due at noon but the look-ahead.
    const schedule = trafficSchedule([0, 1]);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 500, dayFraction: 0.5, schedule })).toBeCloseTo(0.5, 12);
    // Three quarters of the day: half the traffic, half the budget due.
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 24_000, dayFraction: 0.75, schedule })).toBe(1);
    expect(participationProbability({ dailyBudgetMinor: B, spentTodayMinor: 25_000, dayFraction: 0.75, schedule })).toBe(0);
  });

  const inputArb = fc.record({
    dailyBudgetMinor: fc.integer({ min: 1, max: 10_000_000 }),
    spentTodayMinor: fc.integer({ min: 0, max: 10_000_000 }),
    dayFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    lookahead: fc.oneof(fc.constant(PACING_LOOKAHEAD), fc.double({ min: 0, max: 0.5, noNaN: true })),
  });
  const scheduleArb = fc.oneof(
    fc.constant(STRAIGHT_LINE),
    fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 48 }).map(trafficSchedule),
  );

  it('property: a probability, lower the more is spent, higher the later in the day', () => {
    fc.assert(
      fc.property(inputArb, scheduleArb, fc.nat(1_000_000), fc.double({ min: 0, max: 1, noNaN: true }), (input, schedule, more, later) => {
        const probability = participationProbability({ ...input, schedule });
        expect(probability).toBeGreaterThanOrEqual(0);
        expect(probability).toBeLessThanOrEqual(1);
        const spentMore = participationProbability({ ...input, schedule, spentTodayMinor: input.spentTodayMinor + more });
        expect(spentMore).toBeLessThanOrEqual(probability);
        const laterFraction = input.dayFraction + (1 - input.dayFraction) * later;
        expect(participationProbability({ ...input, schedule, dayFraction: laterFraction })).toBeGreaterThanOrEqual(probability);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a campaign that has spent its budget never bids', () => {
    fc.assert(
      fc.property(inputArb, scheduleArb, (input, schedule) => {
        expect(participationProbability({ ...input, schedule, spentTodayMinor: input.dailyBudgetMinor })).toBe(0);
      }),
    );
  });
});

describe('trafficSchedule', () => {
  it('property: rises from 0 to 1 and is the straight line for even traffic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 48 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (shares, a, b) => {
          const schedule = trafficSchedule(shares);
          expect(schedule(0)).toBe(0);
          expect(schedule(1)).toBeCloseTo(1, 12);
          expect(schedule(Math.max(a, b))).toBeGreaterThanOrEqual(schedule(Math.min(a, b)));
          expect(trafficSchedule(shares.map(() => 3))(a)).toBeCloseTo(a, 12);
        },
      ),
    );
  });

  it('falls back to the straight line without usable traffic', () => {
    expect(trafficSchedule([])(0.3)).toBe(0.3);
    expect(trafficSchedule([0, 0, Number.NaN, -1])(0.3)).toBe(0.3);
  });
});

describe('spend day', () => {
  it('is the UTC calendar day and the part of it gone', () => {
    const ms = Date.UTC(2026, 10, 28, 18, 0, 0);
    expect(spendDay(ms)).toBe('2026-11-28');
    expect(dayFraction(ms)).toBe(0.75);
    expect(dayFraction(Date.UTC(2026, 10, 28))).toBe(0);
    expect(spendDay(Date.UTC(2026, 10, 28) - 1)).toBe('2026-11-27');
    expect(dayFraction(Date.UTC(2026, 10, 28) - 1)).toBeLessThan(1);
    expect(dayFraction(-6 * 3_600_000)).toBe(0.75);
    expect(() => dayFraction(Number.NaN)).toThrow(RangeError);
  });

  it('property: the day and the fraction name the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        const fraction = dayFraction(ms);
        expect(fraction).toBeGreaterThanOrEqual(0);
        expect(fraction).toBeLessThan(1);
        expect(Date.parse(`${spendDay(ms)}T00:00:00Z`) + Math.round(fraction * 86_400_000)).toBe(ms);
      }),
    );
  });
});
