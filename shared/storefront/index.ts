/** Storefront domain shared by the web process (app proxy) and the CLI: placements and merchant rules. */
export { STOREFRONT_PLACEMENTS, type StorefrontPlacement } from './placements';
export {
  addMerchantRule,
  listMerchantRules,
  removeMerchantRule,
  validateRule,
  RULE_KINDS,
  RULE_MATCHES,
  type MerchantRule,
  type NewMerchantRule,
  type RuleKind,
  type RuleMatch,
} from './merchant-rules';
