/**
 * The merchant's attribution settings (docs/attribution.md, docs/holdout.md): the windows and the
 * holdout share, as the embedded admin reads and writes them.
 */
export { MAX_WINDOW_DAYS, parseAttributionSettings, type AttributionSettings, type ParsedSettings } from './settings-input';
export { getAttributionSettings, putAttributionSettings, type StoredAttributionSettings } from './shop-settings';
