import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download). The
 * background-networking flags keep it from calling out to a network this machine
 * does not reach.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens the local outbox (`/dev/outbox` of the server at `serverUrl`) once it lists a
 * sign-in link: the login-link worker writes the email a moment after the request
 * was answered, so the page is reloaded until the link is there (10 s at most).
 */
export async function openOutboxWithSignInLink(page: Page, serverUrl: string): Promise<void> {
  await page.goto(`${serverUrl}/dev/outbox`);
  const link = page.locator('a[href*="portal_token="]');
  for (const deadline = Date.now() + 10_000; (await link.count()) === 0 && Date.now() < deadline;) {
    await page.waitForTimeout(100);
    await page.reload();
  }
}
