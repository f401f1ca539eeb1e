/**
 * The merchant's retail-media rules (docs/sponsored.md): the auction, the click-through estimate,
 * pacing and the spend day, the charging ledger, and campaign and settings input and storage.
 */
export { runAuction, type AuctionBidder, type AuctionOptions, type AuctionWin } from './auction';
export { predictedCtr, BASE_CTR, PRIOR_IMPRESSIONS, type CtrEvidence } from './quality';
export {
  participationProbability,
  shopTrafficSchedule,
  trafficSchedule,
  EVEN_TRAFFIC_SHARE,
  PACING_LOOKAHEAD,
  STRAIGHT_LINE,
  type PacingInput,
  type PacingSchedule,
} from './pacing';
export { dayFraction, spendDay } from './spend-day';
export { chargeClick, chargeKey, REPEAT_CLICK_SECONDS, type ChargeOutcome, type ClickToCharge, type NotChargedReason } from './charge';
export { CAMPAIGN_PLACEMENTS, CAMPAIGN_STATUSES, MAX_CAMPAIGN_PRODUCTS, type CampaignFields, type CampaignPatch, type CampaignPlacement, type FieldIssue } from './campaign-input';
export { createCampaign, getCampaign, listCampaigns, updateCampaign, type Campaign, type CampaignWrite } from './campaigns';
export { getSponsoredSettings, parseSponsoredSettings, putSponsoredSettings, SPONSORED_SETTINGS_DEFAULTS, type SponsoredSettings } from './settings';
