// Logs a user in through the broker's login page with plain HTTP (no
// browser): follows /authorize to the login form, posts it, and returns the
// redirect back to the client as a URL. For tests that need a code quickly.

function cookieHeader(jar) {
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

// Returns the URL the broker redirected to after a successful login.
export async function logInOverHttp(authUrl, { email, password }) {
  const jar = new Map();
  const start = await fetch(authUrl, { redirect: 'manual' });
  remember(jar, start);
  const loginUrl = new URL(start.headers.get('location'), authUrl);
  const page = await fetch(loginUrl, { headers: { cookie: cookieHeader(jar) } });
  const html = await page.text();
  const form = new URLSearchParams({
    tx: hidden(html, 'tx'),
    csrf_token: hidden(html, 'csrf_token'),
    username: email,
    password,
  });
  const posted = await fetch(new URL('/login', authUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location) throw new Error(`login failed with HTTP ${posted.status}`);
  return new URL(location);
}
