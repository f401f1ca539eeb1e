import { Command, InvalidArgumentError, Option } from 'commander';
import { addMerchantRule, listMerchantRules, removeMerchantRule, RULE_KINDS, RULE_MATCHES, STOREFRONT_PLACEMENTS, type MerchantRule, type RuleKind, type RuleMatch, type StorefrontPlacement } from '../../storefront';
import { withDatabase } from '../with-database';
import { shopOption } from './replay';

function ruleJson(rule: MerchantRule) {
  return { id: rule.id, kind: rule.kind, match: rule.match, value: rule.value, placement: rule.placement, weight: rule.weight, position: rule.position, createdAt: rule.createdAt.toISOString() };
}

/** One line per rule, in the merchant's words. */
export function formatRule(rule: MerchantRule): string {
  const what = `${rule.match === 'product' ? 'product' : rule.match.replace('_', ' ')} ${JSON.stringify(rule.value)}`;
  const action = rule.kind === 'pin' ? `pin ${what} at slot ${rule.position}` : rule.kind === 'boost' ? `boost ${what} × ${rule.weight}` : `exclude ${what}`;
  return `${rule.id}  ${action}  (${rule.placement ?? 'every placement'})`;
}

const number = (what: string) => (value: string) => {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a number`);
  return n;
};

interface AddFlags {
  shop: string;
  kind: RuleKind;
  match: RuleMatch;
  value: string;
  placement?: StorefrontPlacement;
  position?: number;
  weight?: number;
  json?: boolean;
}

/** `shelfwise rules list|add|remove`: the merchant rules the storefront blocks apply (docs/storefront.md). */
export function registerRules(program: Command): void {
  const rules = program
    .command('rules')
    .description("list, add or remove a shop's merchant rules for the storefront blocks (pin, exclude, boost); running web processes pick changes up within STOREFRONT_CACHE_SECONDS");

  rules
    .command('list')
    .description("print a shop's rules, oldest first")
    .requiredOption('--shop <domain>', 'the shop', shopOption)
    .option('--json', 'print a JSON array')
    .action(async (flags: { shop: string; json?: boolean }) => {
      const list = await withDatabase((db) => listMerchantRules(db, flags.shop));
      if (flags.json) console.log(JSON.stringify(list.map(ruleJson), null, 2));
      else console.log(list.length ? list.map(formatRule).join('\n') : `no rules for ${flags.shop}`);
    });

  rules
    .command('add')
    .description('add a rule: pin a product at a slot, or exclude / boost products by product, tag, vendor, product type or collection')
    .requiredOption('--shop <domain>', 'the shop', shopOption)
    .addOption(new Option('--kind <kind>', 'what the rule does').choices(RULE_KINDS).makeOptionMandatory())
    .addOption(new Option('--match <match>', 'what --value names (a pin names a product)').choices(RULE_MATCHES).makeOptionMandatory())
    .requiredOption('--value <value>', 'a product id, tag, vendor, product type, or collection id or handle (case-insensitive except product ids)')
    .addOption(new Option('--placement <placement>', 'the block it applies to (default: every placement)').choices(STOREFRONT_PLACEMENTS))
    .option('--position <slot>', 'pin: 0-based slot in the block (0-19)', number('--position'))
    .option('--weight <factor>', 'boost: score multiplier, > 1 lifts, < 1 lowers (0-100]', number('--weight'))
    .option('--json', 'print the rule as JSON')
    .action(async (flags: AddFlags) => {
      const rule = await withDatabase((db) =>
        addMerchantRule(db, flags.shop, { kind: flags.kind, match: flags.match, value: flags.value, placement: flags.placement ?? null, position: flags.position ?? null, weight: flags.weight }),
      );
      console.log(flags.json ? JSON.stringify(ruleJson(rule), null, 2) : `added ${formatRule(rule)}`);
    });

  rules
    .command('remove')
    .description('remove one rule by its id (see rules list)')
    .requiredOption('--shop <domain>', 'the shop', shopOption)
    .requiredOption('--id <id>', 'the rule id')
    .option('--json', 'print {"removed": true|false}')
    .action(async (flags: { shop: string; id: string; json?: boolean }) => {
      const removed = await withDatabase((db) => removeMerchantRule(db, flags.shop, flags.id));
      if (flags.json) console.log(JSON.stringify({ removed }));
      else console.log(removed ? `removed ${flags.id}` : `no rule ${flags.id} for ${flags.shop}`);
      if (!removed) process.exitCode = 1;
    });
}
