import { ConfigError } from '../../../../shared/errors';
import { testConfig } from '../../../support/config';

describe('training settings', () => {
  it('default to a daily schedule, 25 new orders waited on for 5 minutes, and one training at a time', () => {
    expect(testConfig().train).toEqual({ cron: '43 4 * * *', minNewOrders: 25, triggerDelayMs: 300_000, concurrency: 1 });
  });

  it('are read from TRAIN_CRON, TRAIN_MIN_NEW_ORDERS, TRAIN_TRIGGER_DELAY_SECONDS and TRAIN_CONCURRENCY', () => {
    expect(testConfig({ TRAIN_CRON: '0 */6 * * *', TRAIN_MIN_NEW_ORDERS: '100', TRAIN_TRIGGER_DELAY_SECONDS: '0', TRAIN_CONCURRENCY: '2' }).train).toEqual({
      cron: '0 */6 * * *',
      minNewOrders: 100,
      triggerDelayMs: 0,
      concurrency: 2,
    });
  });

  it('refuses a malformed schedule, threshold or concurrency, naming each', () => {
    let error: unknown;
    try {
      testConfig({ TRAIN_CRON: 'nightly', TRAIN_MIN_NEW_ORDERS: '0', TRAIN_TRIGGER_DELAY_SECONDS: '-1', TRAIN_CONCURRENCY: 'two' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('TRAIN_CRON must be a cron pattern');
    expect(problems).toMatch(/TRAIN_MIN_NEW_ORDERS .*>=\s*1/);
    expect(problems).toMatch(/TRAIN_TRIGGER_DELAY_SECONDS .*>=\s*0/);
    expect(problems).toMatch(/TRAIN_CONCURRENCY /);
  });
});
