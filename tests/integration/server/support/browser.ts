/**
 * A browser reduced to what an OpenID provider's pages need: a cookie jar (name and path, as
 * browsers keep them) and manual redirects, in plain HTTP.
 */
export class Browser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const path = new URL(url).pathname;
    const headers = new Headers(init.headers);
    const matching = [...this.cookies.values()].filter((c) => path.startsWith(c.path));
    if (matching.length > 0)
      headers.set('cookie', matching.map((c) => `${c.name}=${c.value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const cookiePath =
        attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      const key = `${name} ${cookiePath}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
    return response;
  }

  /** Follows redirects until one leaves for `stopAt` (the app's loopback redirect URI). */
  async follow(
    url: string,
    stopAt: string,
    init: RequestInit = {},
  ): Promise<{ url: string; response: Response }> {
    let response = await this.request(url, init);
    let at = url;
    for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
      at = new URL(response.headers.get('location') ?? '', at).toString();
      if (at.startsWith(stopAt)) return { url: at, response };
      response = await this.request(at);
    }
    return { url: at, response };
  }
}

/**
 * Signs in at the development provider as a person would: opens the authorization URL, submits
 * the login form, and follows the redirects until one leaves for `stopAt`. Answers where it
 * stopped, and the last page when it did not get there (a refused password shows the form again).
 */
export async function signInAtDevProvider(
  authorizationUrl: string,
  stopAt: string,
  credentials: { email: string; password: string },
): Promise<{ url: string; page: string }> {
  const browser = new Browser();
  const start = await browser.follow(authorizationUrl, stopAt);
  if (start.url.startsWith(stopAt)) return { url: start.url, page: '' };
  const page = await start.response.text();
  const action = /action="([^"]+)"/.exec(page)?.[1];
  if (action === undefined) return { url: start.url, page };
  const done = await browser.follow(new URL(action, start.url).toString(), stopAt, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(credentials).toString(),
  });
  return { url: done.url, page: await done.response.text() };
}
