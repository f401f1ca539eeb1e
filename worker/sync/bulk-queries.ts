/**
 * The bulk queries, one top-level connection each with one nested connection (Shopify allows
 * five connections, two levels deep). Fields mirror what the webhook payloads give the store.
 * Line-item properties are `customAttributes`; note attributes are the order's.
 */
export const BULK_QUERIES = {
  products: `{
  products {
    edges {
      node {
        id
        title
        handle
        vendor
        productType
        tags
        status
        publishedAt
        descriptionHtml
        updatedAt
        featuredMedia { preview { image { url } } }
        variants {
          edges {
            node {
              id
              title
              sku
              price
              compareAtPrice
              inventoryQuantity
              inventoryPolicy
              position
              inventoryItem { tracked }
            }
          }
        }
      }
    }
  }
}`,
  orders: `{
  orders {
    edges {
      node {
        id
        name
        createdAt
        updatedAt
        processedAt
        cancelledAt
        test
        currencyCode
        presentmentCurrencyCode
        displayFinancialStatus
        totalPriceSet { shopMoney { amount } }
        currentTotalPriceSet { shopMoney { amount } }
        subtotalPriceSet { shopMoney { amount } }
        totalDiscountsSet { shopMoney { amount } }
        customer { id }
        customAttributes { key value }
        lineItems {
          edges {
            node {
              id
              title
              quantity
              originalUnitPriceSet { shopMoney { amount } }
              totalDiscountSet { shopMoney { amount } }
              product { id }
              variant { id }
              customAttributes { key value }
            }
          }
        }
      }
    }
  }
}`,
} as const;

export type SyncResource = keyof typeof BULK_QUERIES;
