/**
 * Hidden line-item property that carries a recommendation token into the cart and the order
 * (`line_items[].properties`); the leading underscore hides it from shoppers in themes and checkout.
 */
export const TOKEN_PROPERTY = '_shelfwise';

/** Query parameter a block's product link carries, so an add-to-cart on the product page is tagged. */
export const TOKEN_URL_PARAM = 'sw_token';
