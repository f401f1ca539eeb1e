import { productFromBulk } from '../../../worker/sync';

const SHOP = 'records.myshopify.com';
const PRODUCT = {
  id: 'gid://shopify/Product/7',
  title: 'Teapot',
  handle: 'teapot',
  vendor: 'Kiln',
  productType: 'Kitchen',
  tags: ['tea'],
  status: 'ACTIVE',
  publishedAt: '2024-01-01T00:00:00Z',
  descriptionHtml: '',
  updatedAt: '2024-01-02T00:00:00Z',
  featuredMedia: null,
};
const variant = (id: number, position: number) => ({
  id: `gid://shopify/ProductVariant/${id}`,
  title: 'Default Title',
  sku: null,
  price: '30.00',
  compareAtPrice: null,
  inventoryQuantity: 2,
  inventoryPolicy: 'DENY',
  position,
  inventoryItem: { tracked: true },
});

describe('productFromBulk', () => {
  it('tells variant lines from collection lines by their global id, in any order', () => {
    const { record, collections } = productFromBulk(SHOP, PRODUCT, [
      { id: 'gid://shopify/Collection/90', handle: 'kitchen' },
      variant(71, 1),
      { id: 'gid://shopify/Collection/91', handle: null },
      variant(72, 2),
      // The same collection twice (a retried page) is one membership.
      { id: 'gid://shopify/Collection/90', handle: 'kitchen' },
    ]);
    expect(record.variants.map((v) => v.id)).toEqual(['71', '72']);
    expect(collections).toEqual([
      { collectionId: '90', handle: 'kitchen' },
      { collectionId: '91', handle: null },
    ]);
  });

  it('gives a product in no collection an empty list, so its old rows are removed', () => {
    expect(productFromBulk(SHOP, PRODUCT, [variant(71, 1)]).collections).toEqual([]);
  });

  it('refuses a child line of a type it did not ask for rather than reading it as a variant', () => {
    expect(() => productFromBulk(SHOP, PRODUCT, [variant(71, 1), { id: 'gid://shopify/MediaImage/5' }])).toThrow(/MediaImage/);
  });
});
