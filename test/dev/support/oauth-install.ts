const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** `name=value` pairs from Set-Cookie headers, as a browser would send them back. */
function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

export interface InstallOutcome {
  /** Status and Location of the app's answer to the OAuth callback. */
  status: number;
  location: string | null;
  body: string;
}

/**
 * A merchant's browser through an install: the app's /auth (state cookie, redirect to the
 * shop), the stand-in's authorize page (approves, redirects back signed), the app's callback
 * with the cookie. Shopify's host is swapped for the stand-in as the browser would reach it.
 */
export async function installThroughOAuth({ appUrl, standinUrl, shop }: { appUrl: string; standinUrl: string; shop: string }): Promise<InstallOutcome> {
  const begin = await fetch(`${appUrl}/auth?shop=${shop}`, { redirect: 'manual', headers: { 'User-Agent': BROWSER } });
  if (begin.status !== 302) throw new Error(`/auth answered ${begin.status}: ${await begin.text()}`);
  const authorize = new URL(begin.headers.get('location')!);
  if (authorize.host !== shop) throw new Error(`/auth redirected to ${authorize.href}`);
  const cookies = cookieHeader(begin);

  const approve = await fetch(`${standinUrl}${authorize.pathname}${authorize.search}`, {
    redirect: 'manual',
    headers: { 'X-Forwarded-Host': shop, 'User-Agent': BROWSER },
  });
  if (approve.status !== 302) throw new Error(`authorize answered ${approve.status}: ${await approve.text()}`);

  const callback = await fetch(approve.headers.get('location')!, {
    redirect: 'manual',
    headers: { Cookie: cookies, 'User-Agent': BROWSER },
  });
  return { status: callback.status, location: callback.headers.get('location'), body: await callback.text() };
}
