import type { Router } from 'express';
import { getAttributionSettings, parseAttributionSettings, putAttributionSettings, type StoredAttributionSettings } from '../../shared/attribution-settings';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import { adminContext } from './session-token';

function settingsJson(s: StoredAttributionSettings) {
  return {
    recommendation_click_days: s.recommendationClickDays,
    sponsored_click_days: s.sponsoredClickDays,
    sponsored_view_days: s.sponsoredViewDays,
    holdout_share_percent: s.holdoutShareBp / 100,
    updated_at: s.updatedAt?.toISOString() ?? null,
  };
}

/** GET/PUT /attribution/settings on the admin API router: the windows and the holdout share. */
export function attributionSettingsRoutes(api: Router, deps: { db: Db; logger: Logger }): void {
  api.get('/attribution/settings', async (_req, res) => {
    res.json({ settings: settingsJson(await getAttributionSettings(deps.db, adminContext(res).shop)) });
  });

  api.put('/attribution/settings', async (req, res) => {
    const parsed = parseAttributionSettings(req.body);
    if (!parsed.ok) {
      res.status(422).json({ error: 'invalid_settings', issues: parsed.issues });
      return;
    }
    const { shop } = adminContext(res);
    const stored = await putAttributionSettings(deps.db, shop, parsed.value);
    deps.logger.info({ shop, settings: parsed.value }, 'attribution settings changed');
    res.json({ settings: settingsJson(stored) });
  });
}
