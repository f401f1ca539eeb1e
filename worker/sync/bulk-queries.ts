/**
 * The bulk queries, one top-level connection each with nested connections one level below it
 * (Shopify allows five connections in all, nested two levels deep: products uses three —
 * products, variants, collections — orders two). Fields mirror what the webhook payloads give
 * the store, plus each product's collections, which no webhook carries. Line-item properties
 * are `customAttributes`; note attributes are the order's.
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
        collections {
          edges {
            node {
              id
              handle
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
