import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until the 1-minute load average is below `threshold` (other engineers share the
 * machine), checking every 10 s, for at most `maxWaitSeconds`. Says whether it got quiet and
 * the load it saw last.
 */
export async function waitForQuiet(options: { threshold: number; maxWaitSeconds: number }): Promise<{ quiet: boolean; load: number }> {
  const deadline = Date.now() + options.maxWaitSeconds * 1000;
  for (;;) {
    const load = os.loadavg()[0]!;
    if (load < options.threshold) return { quiet: true, load };
    if (Date.now() >= deadline) return { quiet: false, load };
    await sleep(10_000);
  }
}
