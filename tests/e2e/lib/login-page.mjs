// Drives the broker's login page in Chromium through its stable HTML hooks
// (ARCHITECTURE §6): form#login-form with inputs username and password.

export function loginForm(page) {
  return page.locator('form#login-form');
}

// Waits for the login form, fills it and submits it. Does not wait for what
// follows: callers poll the relying party or look for the next page.
export async function submitLogin(page, { email, password }) {
  const form = loginForm(page);
  await form.waitFor({ state: 'visible' });
  await form.locator('input[name="username"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]:not([data-connection])').first().click();
}

// A short description of where the browser is, for failure messages.
export async function describePage(page) {
  let text = '';
  try {
    text = (await page.locator('body').innerText({ timeout: 2_000 })).replace(/\s+/g, ' ').slice(0, 400);
  } catch {
    text = '(no readable body)';
  }
  return `\nthe browser is at ${page.url()}, showing: ${text}`;
}

// Opens `authUrl`, logs in as `user` and returns the URL of the relying
// party's callback that followed.
export async function logInThroughBrowser(page, rp, authUrl, user) {
  const since = rp.visits.length;
  await page.goto(authUrl.href);
  await submitLogin(page, user);
  return rp.nextVisit('/callback', { since, describe: () => describePage(page) });
}

// Opens `authUrl` in a browser that is expected to hold a broker session and
// returns the callback URL the broker sent it to without showing any page.
export async function authorizeSilently(page, rp, authUrl) {
  const since = rp.visits.length;
  await page.goto(authUrl.href);
  return rp.nextVisit('/callback', { since, describe: () => describePage(page) });
}
