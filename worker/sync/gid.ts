import { InvalidInputError } from '../../shared/errors';

/**
 * `gid://shopify/Product/123` → `123`: the store keeps the numeric ids webhooks carry, so a
 * product synced in bulk and the same product from products/update land on one row.
 */
export function legacyId(gid: string): string {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  if (!match) throw new InvalidInputError(`not a Shopify global id: ${JSON.stringify(gid)}`);
  return match[1]!;
}
