import type { Router } from 'express';
import type { Db } from '../../shared/db';
import { adminContext } from './session-token';

/** What a download may be named by: Shopify's request ids are digits, our digests `digest-<hex>`. */
const REQUEST_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * GET /data-requests and GET /data-requests/:id on the admin API router (docs/privacy.md): the
 * shop's customers/data_request exports, listed newest first, and one of them as a JSON download.
 * Only the shop the session token names is read.
 */
export function dataRequestRoutes(api: Router, deps: { db: Db }): void {
  api.get('/data-requests', async (_req, res) => {
    const rows = await deps.db
      .selectFrom('data_requests')
      .select(['id', 'requested_at', 'completed_at', 'orders_requested'])
      .where('shop', '=', adminContext(res).shop)
      .orderBy('requested_at', 'desc')
      .orderBy('id')
      .limit(500)
      .execute();
    res.json({
      data_requests: rows.map((r) => ({
        id: r.id,
        requested_at: new Date(r.requested_at).toISOString(),
        completed_at: new Date(r.completed_at).toISOString(),
        orders_requested: r.orders_requested,
        download: `/api/data-requests/${encodeURIComponent(r.id)}`,
      })),
    });
  });

  api.get('/data-requests/:id', async (req, res) => {
    const id = req.params.id;
    if (!REQUEST_ID.test(id)) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    const row = await deps.db.selectFrom('data_requests').select('export').where('shop', '=', adminContext(res).shop).where('id', '=', id).executeTakeFirst();
    if (!row) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    res.setHeader('Content-Disposition', `attachment; filename="data-request-${id}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(row.export);
  });
}
