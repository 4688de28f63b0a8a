// Logs a user in through the broker's login page with plain HTTP (no
// browser): follows /authorize to the login form, posts it, and returns the
// redirect back to the client as a URL. For tests that need a code quickly.

// The Cookie header for the cookies in `jar` (name -> value).
export function cookieHeader(jar) {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function remember(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function hidden(html, name) {
  const match = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  if (!match) throw new Error(`the login page has no hidden field ${name}`);
  return match[1];
}

// Returns the URL the broker redirected to after a successful login. The
// broker's cookies (its session's included, for a later prompt=none) are
// left in `cookies` when the caller passes a Map. With `origin`, every
// request goes there whatever origin the URLs have: one node of several that
// share an issuer.
export async function logInOverHttp(authUrl, { email, password }, { cookies: jar = new Map(), origin } = {}) {
  const at = (url) => (origin ? new URL(`${url.pathname}${url.search}`, origin) : url);
  const start = await fetch(at(new URL(authUrl)), { redirect: 'manual' });
  remember(jar, start);
  const loginUrl = at(new URL(start.headers.get('location'), authUrl));
  const page = await fetch(loginUrl, { headers: { cookie: cookieHeader(jar) } });
  const html = await page.text();
  const form = new URLSearchParams({
    tx: hidden(html, 'tx'),
    csrf_token: hidden(html, 'csrf_token'),
    username: email,
    password,
  });
  const posted = await fetch(at(new URL('/login', authUrl)), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  remember(jar, posted);
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location) throw new Error(`login failed with HTTP ${posted.status}`);
  return new URL(location);
}
