import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startServer, type RunningServer } from '../helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'portal-e2e-password-'));
const database = join(dir, 'portal.db');
const shots = join(process.cwd(), 'test-results', 'e2e');

let server: RunningServer;
let browser: Browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ DATABASE_PATH: database, DEMO_PORT: '0', WIDGET_BUILD: 'auto' }, /merchant site on/);
  // The merchant turns password sign-in on with the CLI, on the running server's database.
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'server/cli/main.ts', 'store', 'set', 'demo', 'passwordLogin', 'true'],
    {
      env: { ...process.env, DATABASE_PATH: database },
      stdio: 'pipe',
    },
  );
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sets an account's language through the Server API, as the merchant's backend would. */
async function setLanguage(email: string, language: string): Promise<void> {
  const headers = { authorization: `Basic ${Buffer.from('demo:demo-password').toString('base64')}` };
  const lookup = await fetch(`${server.url}/api/accounts?email=${encodeURIComponent(email)}`, { headers });
  const {
    data: [account],
  } = (await lookup.json()) as { data: { id: string }[] };
  const response = await fetch(`${server.url}/api/accounts/${account.id}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ language }),
  });
  assert.equal(response.status, 200);
}

/** The newest password reset link emailed to `to`, from the local outbox (the worker sends it a moment later). */
async function resetLink(to: string): Promise<string> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    const emails = (await (await fetch(`${server.url}/dev/outbox.json?to=${encodeURIComponent(to)}`)).json()) as {
      kind: string;
      links: string[];
    }[];
    const link = emails.find((e) => e.kind === 'password_reset')?.links.find((href) => href.includes('portal_reset='));
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no password reset email to ${to}`);
}

/**
 * A customer who forgot their password asks for a link on the hosted page, opens it,
 * chooses a new one (too short first), and finds the password card on the Account
 * tab: in `lang`, with a screenshot of each screen. The steps find controls by their
 * ids (the words differ by language); in English they check the words too.
 */
async function walk(page: Page, lang: 'en' | 'ar', email: string): Promise<void> {
  const shot = (name: string) => page.screenshot({ path: join(shots, `password-${lang}-${name}.png`), fullPage: true });
  const english = async (text: string) => {
    if (lang === 'en') await page.getByText(text).first().waitFor();
  };
  await page.goto(`${server.url}/account/demo?lang=${lang}`);
  // "Sign in with a password instead", then "Forgot your password?".
  await page.locator('ap-sign-in button.link').first().click();
  await page.locator('ap-sign-in #password').waitFor();
  await page.locator('ap-sign-in .actions button.link').first().click();
  await page.locator('#reset-email').fill(email);
  await english('Reset your password');
  await shot('1-forgot');
  await page.locator('ap-sign-in form button[type="submit"]').click();
  await page.locator('ap-sign-in [role="status"]').waitFor();
  await english('a link to choose a new password is on its way');
  await shot('2-sent');

  await page.goto(`${await resetLink(email)}&lang=${lang}`);
  await page.locator('#new-password').waitFor();
  assert.ok(!page.url().includes('portal_reset'), 'the token leaves the address bar');
  // Before sign-in the page's language rules (after it, the account's own).
  const direction = await page.locator('account-portal').evaluate((el) => getComputedStyle(el).direction);
  assert.equal(direction, lang === 'ar' ? 'rtl' : 'ltr');
  await english('Choose a new password');
  await page.locator('#new-password').fill('short');
  await page.locator('ap-sign-in form button[type="submit"]').click();
  await page.locator('#new-password-error').waitFor();
  await english('Use at least 10 characters.');
  await shot('3-reset-too-short');
  await page.locator('#new-password').fill(`a new passphrase for ${lang}`);
  await page.locator('ap-sign-in form button[type="submit"]').click();
  await page.getByRole('tablist').waitFor();

  await page.locator('#tab-account').click();
  await page.locator('#current-password').fill('not the password at all');
  await page.locator('ap-password-settings #new-password').fill('another passphrase');
  await page.locator('#password-save').click();
  await page.locator('#current-password-error').waitFor();
  await english('The current password is wrong.');
  await page.locator('#password-title').scrollIntoViewIfNeeded();
  await shot('4-change-wrong-current');
}

describe('a customer who forgot their password', () => {
  for (const [lang, email] of [
    ['en', 'ada@example.com'],
    ['ar', 'grace@example.com'],
  ] as const) {
    test(`asks for a link, chooses a new password and finds the password card (${lang})`, async () => {
      const page = await browser.newPage({ viewport: { width: 900, height: 900 }, locale: lang });
      // The account's own language: after signing in, the portal speaks it.
      await setLanguage(email, lang);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await walk(page, lang, email);
      const signIn = await fetch(`${server.url}/portal/demo/sessions/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: `a new passphrase for ${lang}` }),
      });
      assert.equal(signIn.status, 201, 'the new password signs in');
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
