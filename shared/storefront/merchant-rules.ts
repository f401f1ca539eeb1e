import { randomBytes } from 'node:crypto';
import type { Db } from '../db';
import type { MerchantRulesTable } from '../db/schema';
import { InvalidInputError } from '../errors';
import { STOREFRONT_PLACEMENTS, type StorefrontPlacement } from './placements';

export const RULE_KINDS = ['pin', 'exclude', 'boost'] as const;
export const RULE_MATCHES = ['product', 'tag', 'vendor', 'product_type', 'collection'] as const;
export type RuleKind = MerchantRulesTable['kind'];
export type RuleMatch = MerchantRulesTable['match'];

/** A merchant's rule for the storefront blocks (`merchant_rules`). */
export interface MerchantRule {
  id: string;
  kind: RuleKind;
  /** What `value` names: a product id, a tag, a vendor, a product type, a collection id or handle. */
  match: RuleMatch;
  value: string;
  /** null: every placement. */
  placement: StorefrontPlacement | null;
  /** Boost: score multiplier (> 1 lifts, < 1 lowers); 1 for the other kinds. */
  weight: number;
  /** Pin: 0-based slot; null for the other kinds. */
  position: number | null;
  createdAt: Date;
}

export interface NewMerchantRule {
  kind: RuleKind;
  match: RuleMatch;
  value: string;
  placement?: StorefrontPlacement | null;
  weight?: number;
  position?: number | null;
}

/** Checks a rule before it is stored; every problem at once (InvalidInputError). */
export function validateRule(rule: NewMerchantRule): void {
  const problems: string[] = [];
  if (!RULE_KINDS.includes(rule.kind)) problems.push(`kind must be one of ${RULE_KINDS.join(', ')}`);
  if (!RULE_MATCHES.includes(rule.match)) problems.push(`match must be one of ${RULE_MATCHES.join(', ')}`);
  if (!rule.value.trim() || rule.value.length > 255) problems.push('value must be 1-255 characters');
  if (rule.placement != null && !STOREFRONT_PLACEMENTS.includes(rule.placement)) problems.push(`placement must be one of ${STOREFRONT_PLACEMENTS.join(', ')}`);
  if (rule.kind === 'pin') {
    if (rule.match !== 'product') problems.push('a pin names one product (match product)');
    if (rule.position == null || !Number.isInteger(rule.position) || rule.position < 0 || rule.position > 19) problems.push('a pin needs a position 0-19 (0-based slot)');
  } else if (rule.position != null) problems.push('only a pin has a position');
  if (rule.kind === 'boost') {
    if (rule.weight === undefined || !Number.isFinite(rule.weight) || rule.weight <= 0 || rule.weight > 100) problems.push('a boost needs a weight > 0 and <= 100');
  } else if (rule.weight !== undefined && rule.weight !== 1) problems.push('only a boost has a weight');
  if (problems.length) throw new InvalidInputError('invalid merchant rule', problems);
}

const fromRow = (row: { id: string; kind: RuleKind; match: RuleMatch; value: string; placement: string | null; weight: number; position: number | null; created_at: unknown }): MerchantRule => ({
  id: row.id,
  kind: row.kind,
  match: row.match,
  value: row.value,
  placement: (row.placement as StorefrontPlacement | null) ?? null,
  weight: Number(row.weight),
  position: row.position,
  createdAt: new Date(row.created_at as Date | string),
});

/** A shop's rules, oldest first (earlier pins win a contested slot). */
export async function listMerchantRules(db: Db, shop: string): Promise<MerchantRule[]> {
  const rows = await db
    .selectFrom('merchant_rules')
    .select(['id', 'kind', 'match', 'value', 'placement', 'weight', 'position', 'created_at'])
    .where('shop', '=', shop)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

/** Stores a validated rule under a fresh id and returns it. */
export async function addMerchantRule(db: Db, shop: string, rule: NewMerchantRule): Promise<MerchantRule> {
  validateRule(rule);
  const row = await db
    .insertInto('merchant_rules')
    .values({
      shop,
      id: `r_${randomBytes(6).toString('base64url')}`,
      kind: rule.kind,
      match: rule.match,
      value: rule.value.trim(),
      placement: rule.placement ?? null,
      weight: rule.kind === 'boost' ? rule.weight! : 1,
      position: rule.kind === 'pin' ? rule.position! : null,
    })
    .returning(['id', 'kind', 'match', 'value', 'placement', 'weight', 'position', 'created_at'])
    .executeTakeFirstOrThrow();
  return fromRow(row);
}

/** Deletes one rule; false when the shop has no rule with that id. */
export async function removeMerchantRule(db: Db, shop: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('merchant_rules').where('shop', '=', shop).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
