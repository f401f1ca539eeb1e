import type { ServedRecommendations } from './served';

/** The JSON answer (docs/storefront.md), written from each product's precomputed card prefix. */
export function renderJson(served: ServedRecommendations): string {
  let products = '';
  for (const { product, reason, token } of served.products) {
    if (products) products += ',';
    products += `${product.json}"reason":${JSON.stringify(reason)},"token":${JSON.stringify(token)},"sponsored":false}`;
  }
  return `{"placement":"${served.placement}","impression_id":"${served.impressionId}","model_version":${JSON.stringify(served.modelVersion)},"source":"${served.source}","products":[${products}]}`;
}
