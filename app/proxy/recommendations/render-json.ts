import type { ServedRecommendations } from './served';

/** The JSON answer (docs/storefront.md), written from each product's precomputed card prefix. */
export function renderJson(served: ServedRecommendations): string {
  let products = '';
  for (const { product, reason, token, campaignId } of served.products) {
    if (products) products += ',';
    const sponsored = campaignId === undefined ? '"sponsored":false' : `"sponsored":true,"campaign_id":"${campaignId}"`;
    products += `${product.json}"reason":${JSON.stringify(reason)},"token":${JSON.stringify(token)},${sponsored}}`;
  }
  return `{"placement":"${served.placement}","impression_id":"${served.impressionId}","model_version":${JSON.stringify(served.modelVersion)},"source":"${served.source}","products":[${products}]}`;
}
