import { startWorkers, type RunningWorkers } from '../../../worker';
import { eventually, testRuntime } from '../../support/runtime';
import { storedEvents } from '../../support/storefront-event-store';
import { eventId, mintToken, postEvents, startEventsApp, type TestClock } from '../../support/storefront-events';

const SHOP = 'wiring.myshopify.com';

/** The worker process as started in production (startWorkers) stores what the web process accepts. */
describe('events consumer wiring in startWorkers', () => {
  it('stores posted events while running, and stops with the other workers', async () => {
    const runtime = await testRuntime({ backend: 'postgres' });
    const clock: TestClock = { ms: Date.now() };
    const app = await startEventsApp(runtime, clock);
    let workers: RunningWorkers | undefined;
    try {
      workers = await startWorkers(runtime);
      const ids = [eventId(), eventId()];
      const token = mintToken(app.tokenKey, SHOP, clock);
      const res = await postEvents(app.url, {
        shop: SHOP,
        clock,
        body: { consent: { analytics: true }, visitor_id: 'wiringVisitor1', events: ids.map((id, i) => ({ id, type: i ? 'click' : 'impression', token, at: clock.ms })) },
      });
      expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      const stored = await eventually(async () => {
        const s = await storedEvents(runtime.db);
        return s.events.length === 2 ? s : undefined;
      });
      expect(stored.receipts.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(workers.events.name).toMatch(/-\d+-[0-9a-f]{6}$/);
      await workers.close();
      workers = undefined;
    } finally {
      await workers?.close();
      await app.close();
      await runtime.close();
    }
  });
});
