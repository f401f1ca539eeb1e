import '@shopify/shopify-api/adapters/node';
import { ApiVersion, DeliveryMethod, LogSeverity, Session, shopifyApi } from '@shopify/shopify-api';
import { BULK_QUERIES } from '../../worker/sync';
import {
  BULK_QUERY_LIMITS,
  routeAdminApiTo,
  sampleCatalog,
  startShopifyStandin,
  StandinState,
  type ShopifyStandin,
} from '../../shared/dev/shopify-standin';

const SECRET = 'standin-secret';
const KEY = 'standin-key';
const SHOP = 'standin-test.myshopify.com';

function library() {
  return shopifyApi({
    apiKey: KEY,
    apiSecretKey: SECRET,
    scopes: ['read_products', 'read_orders'],
    hostName: 'shelfwise.example',
    hostScheme: 'https',
    apiVersion: ApiVersion.July26,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => undefined },
  });
}

async function grantToken(standin: ShopifyStandin): Promise<string> {
  const code = standin.state.issueCode(SHOP, 'read_products,read_orders');
  const res = await fetch(`${standin.url}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-Host': SHOP },
    body: JSON.stringify({ client_id: KEY, client_secret: SECRET, code }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; scope: string };
  expect(body.scope).toBe('read_products,read_orders');
  return body.access_token;
}

// GraphQL answers are free-form JSON; the assertions below check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = { data?: any; errors?: Array<{ message: string }> };

async function graphql(standin: ShopifyStandin, token: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${standin.url}/admin/api/2026-07/graphql.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token, 'X-Forwarded-Host': SHOP },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

describe('Shopify stand-in', () => {
  let standin: ShopifyStandin;
  beforeEach(async () => {
    const state = new StandinState();
    state.addShop(SHOP, { currencyCode: 'GBP', name: 'Standin Test', ...sampleCatalog('GBP') });
    standin = await startShopifyStandin({ apiSecret: SECRET, apiKey: KEY, state, pollsUntilComplete: 2 });
  });
  afterEach(() => standin.close());

  it('signs the authorize redirect the way the library verifies it', async () => {
    const res = await fetch(
      `${standin.url}/admin/oauth/authorize?client_id=${KEY}&scope=read_products&redirect_uri=${encodeURIComponent('https://shelfwise.example/auth/callback')}&state=nonce-1`,
      { headers: { 'X-Forwarded-Host': SHOP }, redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shelfwise.example/auth/callback');
    const query = Object.fromEntries(location.searchParams);
    expect(query).toMatchObject({ shop: SHOP, state: 'nonce-1' });
    await expect(library().utils.validateHmac(query)).resolves.toBe(true);
    await expect(library().utils.validateHmac({ ...query, state: 'nonce-2' })).resolves.toBe(false);
  });

  it('refuses a code twice and a wrong secret', async () => {
    const code = standin.state.issueCode(SHOP, 'read_products');
    const exchange = (secret: string) =>
      fetch(`${standin.url}/admin/oauth/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_id: KEY, client_secret: secret, code }),
      });
    expect((await exchange('wrong')).status).toBe(400);
    expect((await exchange(SECRET)).status).toBe(200);
    expect((await exchange(SECRET)).status).toBe(400);
  });

  it('answers 401 without a valid token and the shop with one', async () => {
    expect((await graphql(standin, 'shpat_nope', '{ shop { name } }')).status).toBe(401);
    const token = await grantToken(standin);
    const { status, body } = await graphql(standin, token, '{ shop { name currencyCode } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { shop: { name: 'Standin Test', currencyCode: 'GBP' } } });
  });

  it('reports fields it does not model as GraphQL errors', async () => {
    const token = await grantToken(standin);
    const { body } = await graphql(standin, token, '{ shop { name billingAddress { city } } }');
    expect(body.errors?.[0]?.message).toMatch(/billingAddress/);
  });

  it('takes webhook registrations from the library and refuses http to a public host', async () => {
    const token = await grantToken(standin);
    routeAdminApiTo(standin.url);
    const api = library();
    api.webhooks.addHandlers({
      PRODUCTS_UPDATE: { deliveryMethod: DeliveryMethod.Http, callbackUrl: '/webhooks' },
      APP_UNINSTALLED: { deliveryMethod: DeliveryMethod.Http, callbackUrl: '/webhooks' },
    });
    const session = new Session({ id: `offline_${SHOP}`, shop: SHOP, state: '', isOnline: false, accessToken: token });
    const first = await api.webhooks.register({ session });
    expect(first.PRODUCTS_UPDATE?.[0]?.success).toBe(true);
    const topics = standin.state.shop(SHOP).webhookSubscriptions.map((s) => [s.topic, s.endpoint.callbackUrl]);
    expect(topics.sort()).toEqual([
      ['APP_UNINSTALLED', 'https://shelfwise.example/webhooks'],
      ['PRODUCTS_UPDATE', 'https://shelfwise.example/webhooks'],
    ]);
    // Registering again finds them through the webhookSubscriptions query and creates nothing.
    const again = await api.webhooks.register({ session });
    expect(again.PRODUCTS_UPDATE).toEqual([]);
    expect(standin.state.shop(SHOP).webhookSubscriptions).toHaveLength(2);

    const refused = await graphql(
      standin,
      token,
      'mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: {callbackUrl: "http://shelfwise.example/webhooks"}) { webhookSubscription { id } userErrors { field message } } }',
    );
    expect(refused.body.data.webhookSubscriptionCreate).toEqual({
      webhookSubscription: null,
      userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address protocol http:// is not supported' }],
    });
  });

  it('runs a bulk query through CREATED, RUNNING, COMPLETED and serves grouped JSONL', async () => {
    const token = await grantToken(standin);
    const run = await graphql(
      standin,
      token,
      `mutation Run($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id status } userErrors { field message } } }`,
      { q: '{ products { edges { node { id title variants { edges { node { id price } } } } } } }' },
    );
    const op = run.body.data.bulkOperationRunQuery.bulkOperation;
    expect(op.status).toBe('CREATED');
    const poll = () =>
      graphql(standin, token, 'query Poll($id: ID!) { node(id: $id) { ... on BulkOperation { status objectCount url partialDataUrl } } }', {
        id: op.id,
      });
    expect((await poll()).body.data.node).toMatchObject({ status: 'RUNNING', url: null });
    const done = (await poll()).body.data.node;
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '7', partialDataUrl: null });
    const lines = (await (await fetch(done.url)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: 'gid://shopify/Product/101', title: 'Enamel Mug' });
    expect(lines[1]).toEqual({ id: 'gid://shopify/ProductVariant/1011', price: '12.50', __parentId: 'gid://shopify/Product/101' });
    expect(lines.filter((l) => !l.__parentId).map((l) => l.id)).toEqual([
      'gid://shopify/Product/101',
      'gid://shopify/Product/102',
      'gid://shopify/Product/103',
    ]);
  });

  it('puts every parent first when grouping is not asked for (the 2026-01 default)', async () => {
    const token = await grantToken(standin);
    const run = await graphql(
      standin,
      token,
      `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id quantity } } } } } } }") { bulkOperation { id } userErrors { message } } }`,
    );
    const { id } = run.body.data.bulkOperationRunQuery.bulkOperation;
    await graphql(standin, token, `{ node(id: "${id}") { id } }`);
    const done = await graphql(standin, token, `{ currentBulkOperation { status url } }`);
    const lines = (await (await fetch(done.body.data.currentBulkOperation.url)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => Boolean(l.__parentId))).toEqual([false, false, true, true, true]);
  });

  it('rejects a bulk query on a resource it does not have', async () => {
    // Collections are modelled now; customers are not (the app never reads them in bulk).
    const token = await grantToken(standin);
    const run = await graphql(
      standin,
      token,
      `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } userErrors { field message } } }`,
    );
    expect(run.body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(run.body.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/customers/);
  });

  /** Runs a bulk query to completion and returns its JSONL lines, parsed. */
  async function bulkLines(token: string, query: string) {
    const run = await graphql(
      standin,
      token,
      `mutation Run($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id } userErrors { message } } }`,
      { q: query },
    );
    expect(run.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const { id } = run.body.data.bulkOperationRunQuery.bulkOperation;
    await graphql(standin, token, `{ node(id: "${id}") { id } }`);
    const done = await graphql(standin, token, `{ node(id: "${id}") { ... on BulkOperation { status url } } }`);
    expect(done.body.data.node.status).toBe('COMPLETED');
    return (await (await fetch(done.body.data.node.url)).text()).trim().split('\n').map((l) => JSON.parse(l));
  }

  it("serves each product's collections as child lines beside its variants, from the app's own query", async () => {
    const token = await grantToken(standin);
    const lines = await bulkLines(token, BULK_QUERIES.products);
    const mug = 'gid://shopify/Product/101';
    const underMug = lines.filter((l) => l.__parentId === mug);
    expect(underMug.map((l) => l.id)).toEqual([
      'gid://shopify/ProductVariant/1011',
      'gid://shopify/ProductVariant/1012',
      'gid://shopify/Collection/9001',
      'gid://shopify/Collection/9002',
    ]);
    expect(underMug[2]).toEqual({ id: 'gid://shopify/Collection/9001', handle: 'kitchen', __parentId: mug });
    // The parent line carries no nested connection, only its own fields.
    expect(lines[0]).not.toHaveProperty('collections');
    expect(lines[0]).not.toHaveProperty('variants');
    expect(lines).toHaveLength(11);
  });

  it('serves collections with their products, and follows membership edits', async () => {
    const token = await grantToken(standin);
    const query = '{ collections { edges { node { id handle title products { edges { node { id } } } } } } }';
    const before = await bulkLines(token, query);
    expect(before).toEqual([
      { id: 'gid://shopify/Collection/9001', handle: 'kitchen', title: 'Kitchen' },
      { id: 'gid://shopify/Product/101', __parentId: 'gid://shopify/Collection/9001' },
      { id: 'gid://shopify/Product/103', __parentId: 'gid://shopify/Collection/9001' },
      { id: 'gid://shopify/Collection/9002', handle: 'gift-ideas', title: 'Gifts' },
      { id: 'gid://shopify/Product/102', __parentId: 'gid://shopify/Collection/9002' },
      { id: 'gid://shopify/Product/101', __parentId: 'gid://shopify/Collection/9002' },
    ]);
    standin.state.shop(SHOP).collections[0]!.productIds = ['gid://shopify/Product/103'];
    const after = await bulkLines(token, query);
    expect(after.filter((l) => l.__parentId === 'gid://shopify/Collection/9001').map((l) => l.id)).toEqual(['gid://shopify/Product/103']);
    const products = await bulkLines(token, '{ products { edges { node { id collections { edges { node { id } } } } } } }');
    expect(products.filter((l) => l.__parentId === 'gid://shopify/Product/101').map((l) => l.id)).toEqual(['gid://shopify/Collection/9002']);

    const plain = await graphql(standin, token, '{ collections(first: 5) { nodes { handle products(first: 5) { nodes { id } } } } }');
    expect(plain.body.data.collections.nodes).toEqual([
      { handle: 'kitchen', products: { nodes: [{ id: 'gid://shopify/Product/103' }] } },
      { handle: 'gift-ideas', products: { nodes: [{ id: 'gid://shopify/Product/102' }, { id: 'gid://shopify/Product/101' }] } },
    ]);
  });

  it("refuses bulk queries beyond Shopify's limits: five connections, two levels of nesting", async () => {
    const token = await grantToken(standin);
    const run = (query: string) =>
      graphql(standin, token, `mutation Run($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { field message } } }`, {
        q: query,
      });
    const tooDeep = await run('{ collections { edges { node { id products { edges { node { id variants { edges { node { id } } } } } } } } } }');
    expect(tooDeep.body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(tooDeep.body.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/nested 3 levels deep; the maximum is 2/);
    const child = (name: string) => `${name} { edges { node { id } } }`;
    const sixConnections = `{ products { edges { node { id ${['variants', 'collections', 'media', 'metafields', 'sellingPlanGroups'].map(child).join(' ')} } } } }`;
    const tooMany = await run(sixConnections);
    expect(tooMany.body.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/6 connections; bulk queries support up to 5/);
    expect(BULK_QUERY_LIMITS).toEqual({ connections: 5, depth: 2 });
  });
});
