/**
 * User agents that announce an automated client: crawlers, link previewers, headless browsers,
 * performance auditors and uptime probes. Their events are answered 200 and stored nowhere (a
 * 4xx would only make some of them retry).
 */
const BOT_USER_AGENT = new RegExp(
  [
    'bot',
    'crawl',
    'spider',
    'slurp',
    'headless',
    'phantomjs',
    'puppeteer',
    'playwright',
    'selenium',
    'webdriver',
    'lighthouse',
    'pagespeed',
    'gtmetrix',
    'pingdom',
    'uptime',
    'preview',
    'facebookexternalhit',
    'embedly',
    'curl/',
    'wget/',
    'python-requests',
    'go-http-client',
    'node-fetch',
    'axios/',
    'okhttp',
    'java/',
    'scrapy',
  ].join('|'),
  'i',
);

/** True for a missing user agent or one that names a known automated client. */
export function isBotUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.trim() === '') return true;
  return BOT_USER_AGENT.test(userAgent);
}
