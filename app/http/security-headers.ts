import type { RequestHandler } from 'express';

/**
 * Headers every response of the Express app carries. The default Content-Security-Policy suits
 * JSON and redirects (nothing to load, never framed); the admin page replaces it with its own
 * (framed by the shop's admin only, app/admin/admin-page.ts). No X-Frame-Options: it cannot name
 * two allowed framers and would break the embedded admin; frame-ancestors does that job.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Permitted-Cross-Domain-Policies': 'none',
};

/** Sets SECURITY_HEADERS before any route answers (a route may still replace the CSP). */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  };
}
