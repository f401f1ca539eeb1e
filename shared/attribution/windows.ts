/** How long a touch keeps crediting orders, per shop (attribution_settings); all in seconds. */
export interface AttributionWindows {
  /** A recommendation's click or token. Default 7 days. */
  recommendationClickSeconds: number;
  /** A sponsored product's click or token. Default 14 days, as retail-media platforms use. */
  sponsoredClickSeconds: number;
  /** A sponsored impression the shopper did not click. Default 1 day. */
  sponsoredViewSeconds: number;
}

const DAY = 86_400;

export const DEFAULT_ATTRIBUTION_WINDOWS: Readonly<AttributionWindows> = Object.freeze({
  recommendationClickSeconds: 7 * DAY,
  sponsoredClickSeconds: 14 * DAY,
  sponsoredViewSeconds: 1 * DAY,
});

/** Windows from attribution_settings columns (null or absent when the shop has no row: the defaults). */
export function windowsFromSettings(row: {
  recommendation_click_window_seconds?: number | null;
  sponsored_click_window_seconds?: number | null;
  sponsored_view_window_seconds?: number | null;
} | null | undefined): AttributionWindows {
  return {
    recommendationClickSeconds: row?.recommendation_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.recommendationClickSeconds,
    sponsoredClickSeconds: row?.sponsored_click_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredClickSeconds,
    sponsoredViewSeconds: row?.sponsored_view_window_seconds ?? DEFAULT_ATTRIBUTION_WINDOWS.sponsoredViewSeconds,
  };
}

/** The click window of a touch: sponsored products get their own, longer one. */
export function clickWindowSeconds(windows: AttributionWindows, sponsored: boolean): number {
  return sponsored ? windows.sponsoredClickSeconds : windows.recommendationClickSeconds;
}

/**
 * A touch at `touchedAtMs` credits an order placed at `orderedAtMs` when it came before the
 * order (or at the same instant) and no more than `windowSeconds` before it: both edges inside.
 */
export function withinWindow(touchedAtMs: number, orderedAtMs: number, windowSeconds: number): boolean {
  const age = orderedAtMs - touchedAtMs;
  return age >= 0 && age <= windowSeconds * 1000;
}
