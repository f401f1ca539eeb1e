import type { Response } from 'express';

/**
 * Writes a JSON answer directly: `res.json` would hash every body for an ETag that a `no-store`
 * beacon answer can never use, on the endpoint every storefront page calls.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
