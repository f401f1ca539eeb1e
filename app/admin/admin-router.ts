import express, { type Response, type Router } from 'express';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import {
  createCampaign,
  getCampaign,
  getSponsoredSettings,
  listCampaigns,
  parseSponsoredSettings,
  putSponsoredSettings,
  spendDay,
  updateCampaign,
  type CampaignWrite,
} from '../../shared/sponsored';
import type { Shopify } from '../shopify/app';
import { campaignJson, settingsJson } from './campaign-json';
import { catalogProducts } from './catalog-products';
import { reportsRouter } from './reports-router';
import { adminContext, requireSessionToken } from './session-token';
import { attributionSettingsRoutes } from './attribution-settings-routes';
import { dataRequestRoutes } from './data-request-routes';

export interface AdminApiDeps {
  shopify: Shopify;
  db: Db;
  logger: Logger;
  /** Epoch ms: default start of a campaign and the spend day of "spent today". */
  now: () => number;
}

/** The shop's currency, or a 409 when the install has not recorded it yet (money cannot be read). */
function shopCurrency(res: Response): string | null {
  const { currency } = adminContext(res);
  if (!currency) res.status(409).json({ error: 'shop_currency_unknown', message: "the shop's currency is not known yet; reinstall or wait for the first sync" });
  return currency;
}

function answerWrite(res: Response, outcome: CampaignWrite, created: boolean): void {
  if (outcome.ok) res.status(created ? 201 : 200).json({ campaign: campaignJson(outcome.campaign, { withProducts: true }) });
  else if (outcome.reason === 'not_found') res.status(404).json({ error: 'not_found' });
  else res.status(422).json({ error: 'invalid_campaign', issues: outcome.issues });
}

/**
 * The embedded admin's JSON API under /api (docs/sponsored.md): sponsored campaigns and the
 * shop's sponsored settings. Every route answers only a verified App Bridge session token and
 * reads and writes only the shop it names.
 */
export function adminApiRouter(deps: AdminApiDeps): Router {
  const api = express.Router();
  // Authenticate before the body is even parsed: an unauthenticated request costs nothing.
  api.use(requireSessionToken(deps));
  api.use(express.json({ limit: '64kb' }));

  api.get('/campaigns', async (_req, res) => {
    const { shop } = adminContext(res);
    const campaigns = await listCampaigns(deps.db, shop, { day: spendDay(deps.now()) });
    res.json({ campaigns: campaigns.map((c) => campaignJson(c, { withProducts: false })) });
  });

  api.post('/campaigns', async (req, res) => {
    const currency = shopCurrency(res);
    if (!currency) return;
    const outcome = await createCampaign(deps.db, { shop: adminContext(res).shop, currency, body: req.body, nowMs: deps.now() });
    if (outcome.ok) deps.logger.info({ shop: outcome.campaign.shop, campaign: outcome.campaign.id }, 'sponsored campaign created');
    answerWrite(res, outcome, true);
  });

  api.get('/campaigns/:id', async (req, res) => {
    const campaign = await getCampaign(deps.db, adminContext(res).shop, req.params.id, { day: spendDay(deps.now()) });
    if (campaign) res.json({ campaign: campaignJson(campaign, { withProducts: true }) });
    else res.status(404).json({ error: 'not_found' });
  });

  api.patch('/campaigns/:id', async (req, res) => {
    const outcome = await updateCampaign(deps.db, { shop: adminContext(res).shop, id: req.params.id, body: req.body, nowMs: deps.now() });
    answerWrite(res, outcome, false);
  });

  // The campaign form names the products a campaign promotes: ?vendor=V or ?ids=1,2,3 (at most 100).
  api.get('/products', async (req, res) => {
    // NUL cannot be stored or compared in PostgreSQL text: such a vendor has no products.
    const vendor = typeof req.query.vendor === 'string' ? req.query.vendor.replace(/\0/g, '\uFFFD') : undefined;
    const ids = typeof req.query.ids === 'string' ? req.query.ids.split(',').filter((id) => /^\d{1,20}$/.test(id)).slice(0, 100) : undefined;
    res.json({ products: await catalogProducts(deps.db, adminContext(res).shop, { vendor, ids }) });
  });

  attributionSettingsRoutes(api, deps);
  dataRequestRoutes(api, deps);

  api.get('/sponsored/settings', async (_req, res) => {
    const currency = shopCurrency(res);
    if (!currency) return;
    res.json({ settings: settingsJson(await getSponsoredSettings(deps.db, adminContext(res).shop), currency) });
  });

  api.put('/sponsored/settings', async (req, res) => {
    const currency = shopCurrency(res);
    if (!currency) return;
    const parsed = parseSponsoredSettings(req.body, { currency });
    if (!parsed.ok) {
      res.status(422).json({ error: 'invalid_settings', issues: parsed.issues });
      return;
    }
    res.json({ settings: settingsJson(await putSponsoredSettings(deps.db, adminContext(res).shop, parsed.value), currency) });
  });

  // The reports (docs/reports.md): read-only, per contract.
  api.use('/reports', reportsRouter(deps));

  const router = express.Router();
  router.use('/api', api);
  return router;
}
