import type { Browser } from 'playwright-core';

/** When things happened during one page load, in ms since navigation start (the page's `performance.now()`). */
export interface PortalLoad {
  /** The bundle's request started / its last byte arrived (resource timing). */
  scriptStart: number;
  scriptEnd: number;
  /** `<account-portal>` was defined: the bundle had run. */
  defined: number;
  /** The token redemption (`POST …/sessions`) and the first orders page (`GET …/orders`) finished. */
  sessionEnd: number;
  ordersEnd: number;
  /** The first order row was in the orders list's shadow DOM. */
  firstRow: number;
}

/**
 * Runs in the page before any of its scripts: notes when the element is defined and
 * polls (every task, ~4 ms in Chromium) for the first order row inside
 * `<account-portal>` → `<ap-orders>`, both in shadow DOM. A string, so that no
 * transpiler helper ends up in code that runs in the browser.
 */
const PROBE = `(() => {
  const marks = {};
  window.__portalBench = marks;
  customElements.whenDefined('account-portal').then(() => { marks.defined = performance.now(); });
  const poll = () => {
    const orders = document.querySelector('account-portal')?.shadowRoot?.querySelector('ap-orders');
    if (orders?.shadowRoot?.querySelector('tr[part~="row"]')) marks.firstRow = performance.now();
    else setTimeout(poll, 0);
  };
  poll();
})();`;

/** Reads the marks and the resource timings of the bundle, the token redemption and the first orders page. */
const READ = `(() => {
  const entries = performance.getEntriesByType('resource');
  const find = (pattern) => entries.find((entry) => pattern.test(entry.name));
  const script = find(/\\/widget\\/account-portal\\.js/);
  const session = find(/\\/portal\\/[^/]+\\/sessions$/);
  const orders = find(/\\/portal\\/[^/]+\\/orders(\\?|$)/);
  const marks = window.__portalBench;
  return {
    scriptStart: script ? script.startTime : NaN, scriptEnd: script ? script.responseEnd : NaN,
    defined: marks.defined ?? NaN, sessionEnd: session ? session.responseEnd : NaN,
    ordersEnd: orders ? orders.responseEnd : NaN, firstRow: marks.firstRow,
  };
})()`;

/**
 * Opens `url` (a pre-authenticated portal URL) in a fresh browser context, so
 * nothing is cached and no session is stored, and measures how long it takes until
 * the orders list shows its first row.
 */
export async function measurePortalLoad(browser: Browser, url: string, timeoutMs = 15_000): Promise<PortalLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE });
    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the hosted page's CSP forbids evaluating strings.
    await page.waitForFunction(() => (window as { __portalBench?: { firstRow?: number } }).__portalBench?.firstRow !== undefined,
      undefined, { timeout: timeoutMs, polling: 50 });
    return await page.evaluate(READ) as PortalLoad;
  } finally {
    await context.close();
  }
}
