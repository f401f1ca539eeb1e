import type { ErrorRequestHandler } from 'express';
import { InvalidInputError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';

/** Maps known errors to status codes; anything unexpected is logged and shown as a bare 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (error instanceof InvalidInputError) {
      res.status(400).json({ error: 'bad_request', message: error.message });
    } else if (status && status >= 400 && status < 500) {
      // body-parser and friends: payload too large, malformed JSON, unsupported charset.
      // An oversized webhook is a delivery Shopify will retry and then drop: worth an operator's eye.
      if (status === 413) logger.warn({ path: req.path, declaredBytes: req.headers['content-length'], shop: req.headers['x-shopify-shop-domain'] }, 'request body over the limit refused');
      res.status(status).json({ error: (error as { type?: string }).type ?? 'bad_request' });
    } else {
      logger.error({ err: error, path: req.path }, 'unhandled error');
      res.status(500).json({ error: 'internal_error' });
    }
  };
}
