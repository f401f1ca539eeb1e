import type { Db } from '../../../shared/db';
import { reattributeOrder } from '../../../worker/attribution';

export interface AttributedAll {
  orders: number;
  credits: number;
  seconds: number;
}

/**
 * Runs the worker's reattributeOrder over every order, `workers` at a time as concurrent ingest
 * workers would. Orders are dealt to workers by their UTC day (day number mod workers), each
 * worker taking its orders oldest first: two workers then rarely wait on one day's rollup lock.
 */
export async function attributeAllOrders(options: {
  db: Db;
  shop: string;
  tokenKey: Buffer;
  customerIdKey: string;
  orders: ReadonlyArray<{ id: string; day: string }>;
  workers: number;
  progress?: (done: number) => void;
}): Promise<AttributedAll> {
  const started = performance.now();
  const queues: string[][] = Array.from({ length: options.workers }, () => []);
  for (const o of options.orders) queues[Math.floor(Date.parse(o.day) / 86_400_000) % options.workers]!.push(o.id);
  let done = 0;
  let credits = 0;
  await Promise.all(
    queues.map(async (ids) => {
      for (const id of ids) {
        const result = await reattributeOrder({ db: options.db, tokenKey: options.tokenKey, customerIdKey: options.customerIdKey }, options.shop, id);
        credits += result.credits;
        if (++done % 10_000 === 0) options.progress?.(done);
      }
    }),
  );
  return { orders: done, credits, seconds: (performance.now() - started) / 1000 };
}
