import type { RequestHandler } from 'express';
import type { Logger } from '../../shared/logger';

const CODES: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 410: 'gone' };

/**
 * Shopify's Express library answers its own failures with `res.send(error.message)` (a 500 with
 * whatever a database or network error said, a 400 naming the check that failed). On the routes
 * it serves, such a plain-text error becomes JSON with a code only; the message goes to the log.
 * JSON answers (ours) and redirects pass unchanged.
 */
export function hideLibraryErrors(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (res.statusCode >= 400 && !res.get('Content-Type')) {
        const status = res.statusCode;
        if (status >= 500) logger.error({ path: req.path, status, message: String(body) }, 'library error hidden from the client');
        else logger.info({ path: req.path, status, message: String(body) }, 'library refusal');
        res.send = send;
        return res.status(status).json({ error: status >= 500 ? 'internal_error' : (CODES[status] ?? 'bad_request') });
      }
      return send(body);
    };
    next();
  };
}
