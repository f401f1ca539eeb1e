import type { Queue } from 'bullmq';
import { jobId } from '../../../shared/queue';
import type { PlannedDelivery } from './deliveries';

/**
 * Deliveries the web process first refused and then answered "duplicate" although no copy of
 * them (same content: a Shopify retry, the same event redelivered, a resend) was ever queued:
 * lost at the door, whatever the store shows later (a newer version may hide it).
 */
export async function lostAtTheDoor({ queue, shop, deliveries, refusedThenDuplicate }: { queue: Queue; shop: string; deliveries: PlannedDelivery[]; refusedThenDuplicate: string[] }): Promise<string[]> {
  const lost: string[] = [];
  for (const webhookId of refusedThenDuplicate) {
    const delivery = deliveries.find((d) => d.webhookId === webhookId)!;
    const copies = new Set(deliveries.filter((d) => d.distinct === delivery.distinct).map((d) => d.webhookId));
    const queued = await Promise.all([...copies].map((id) => queue.getJob(jobId('wh', shop, id))));
    if (!queued.some(Boolean)) lost.push(webhookId);
  }
  return lost;
}
