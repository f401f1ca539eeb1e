import { metricsAllowed, routeGroup } from '../../../shared/metrics';

describe('who may read /metrics', () => {
  it('without a token: clients on this machine only, whatever they claim in headers', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(metricsAllowed({ remoteAddress: address }, undefined)).toBe(true);
    for (const address of ['10.0.0.5', '::ffff:10.0.0.5', '192.168.1.1', undefined]) expect(metricsAllowed({ remoteAddress: address }, undefined)).toBe(false);
  });

  it('with a token: only the exact bearer token, from anywhere, loopback included', () => {
    const token = 'a-long-enough-metrics-token';
    expect(metricsAllowed({ remoteAddress: '10.0.0.5', authorization: `Bearer ${token}` }, token)).toBe(true);
    expect(metricsAllowed({ remoteAddress: '127.0.0.1' }, token)).toBe(false);
    for (const authorization of [token, `bearer ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, 'Bearer ', '']) {
      expect(metricsAllowed({ remoteAddress: '127.0.0.1', authorization }, token)).toBe(false);
    }
  });
});

describe('route groups of the HTTP latency histogram', () => {
  it('folds paths into a few groups, never a shop or an id', () => {
    expect(routeGroup('/webhooks')).toBe('webhooks');
    expect(routeGroup('/proxy/recommendations')).toBe('proxy');
    expect(routeGroup('/proxy/events')).toBe('proxy');
    expect(routeGroup('/api/campaigns/12')).toBe('admin_api');
    expect(routeGroup('/admin')).toBe('admin');
    expect(routeGroup('/auth/callback')).toBe('auth');
    expect(routeGroup('/readyz')).toBe('ops');
    expect(routeGroup('/some-shop.myshopify.com/x')).toBe('other');
    expect(routeGroup('/administrator')).toBe('other');
  });
});
