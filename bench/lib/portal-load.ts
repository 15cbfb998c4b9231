import type { Browser, CDPSession } from 'playwright-core';

/** When things happened during one page load, in ms since navigation start (the page's `performance.now()`). */
export interface PortalLoad {
  /** The script tag's module was requested / its last byte arrived (resource timing). */
  scriptStart: number;
  scriptEnd: number;
  /** The element was defined: the script had run. */
  defined: number;
  /** The token redemption (`POST …/sessions`) and the first orders page (`GET …/orders`) finished. */
  sessionEnd: number;
  ordersEnd: number;
  /** The first order row was in the page (in the element's shadow DOM). */
  firstRow: number;
  /** Bytes of JavaScript over the wire (compressed, with headers) until the first row; what each took. */
  scriptBytes: number;
  scripts: { path: string; start: number; end: number; bytes: number }[];
  /**
   * How long the page's main thread was busy until the first row (Chromium's own counters,
   * `Performance.getMetrics`, read as the row shows): all its tasks, and of them running
   * JavaScript (compiling included), computing styles and laying out, in ms.
   */
  mainThread: { busy: number; script: number; style: number; layout: number };
}

/** A network profile for Chromium's throttling (CDP `Network.emulateNetworkConditions`). */
export interface NetworkProfile {
  name: string;
  /** Added to each request's round trip, ms. */
  latencyMs: number;
  downloadKbps: number;
  uploadKbps: number;
}

/** What is measured: the widget's hosted page, or the Lit-only baseline page. */
export interface LoadTarget {
  /** The element the script defines, and the path from it to the first order row. */
  tag: string;
  rowIn: 'account-portal' | 'self';
  /** The script tag's URL path. */
  scriptPath: string;
}

/**
 * Runs in the page before any of its scripts: notes when the element is defined and
 * polls (every task, ~4 ms in Chromium) for the first order row, in `<account-portal>`
 * → `<ap-orders>` or in the baseline element, all in shadow DOM; `__portalBenchShown`
 * resolves then. A string, so that
 * no transpiler helper ends up in code that runs in the browser.
 */
const probe = (target: LoadTarget) => `(() => {
  const marks = {};
  window.__portalBench = marks;
  customElements.whenDefined(${JSON.stringify(target.tag)}).then(() => { marks.defined = performance.now(); });
  const rows = () => {
    const host = document.querySelector(${JSON.stringify(target.tag)})?.shadowRoot;
    const list = ${target.rowIn === 'account-portal' ? "host?.querySelector('ap-orders')?.shadowRoot" : 'host'};
    return list?.querySelector('tr[part~="row"]');
  };
  let shown;
  window.__portalBenchShown = new Promise((resolve) => { shown = resolve; });
  const poll = () => {
    if (rows()) shown((marks.firstRow = performance.now()));
    else setTimeout(poll, 0);
  };
  poll();
})();`;

/** Reads the marks and the resource timings of the scripts, the token redemption and the first orders page. */
const read = (scriptPath: string) => `(() => {
  const entries = performance.getEntriesByType('resource');
  const find = (pattern) => entries.find((entry) => pattern.test(entry.name));
  const script = entries.find((entry) => new URL(entry.name).pathname === ${JSON.stringify(scriptPath)});
  const session = find(/\\/portal\\/[^/]+\\/sessions$/);
  const orders = find(/\\/portal\\/[^/]+\\/orders(\\?|$)/);
  const marks = window.__portalBench;
  const scripts = entries.filter((entry) => /\\.js$/.test(new URL(entry.name).pathname))
    .filter((entry) => entry.startTime <= marks.firstRow)
    .map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime, end: entry.responseEnd, bytes: entry.transferSize }));
  return {
    scriptStart: script ? script.startTime : NaN, scriptEnd: script ? script.responseEnd : NaN,
    defined: marks.defined ?? NaN, sessionEnd: session ? session.responseEnd : NaN,
    ordersEnd: orders ? orders.responseEnd : NaN, firstRow: marks.firstRow,
    scriptBytes: scripts.reduce((sum, s) => sum + s.bytes, 0), scripts,
  };
})()`;

/**
 * Opens `url` (a pre-authenticated page URL) in a fresh browser context with the
 * cache disabled, so nothing is cached and no session is stored, optionally on a
 * throttled network, and measures how long it takes until the first order row shows.
 */
export async function measurePortalLoad(
  browser: Browser,
  url: string,
  target: LoadTarget,
  network: NetworkProfile | null = null,
  timeoutMs = 30_000,
): Promise<PortalLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: network.latencyMs,
        downloadThroughput: (network.downloadKbps * 1000) / 8,
        uploadThroughput: (network.uploadKbps * 1000) / 8,
      });
    }
    await page.addInitScript({ content: probe(target) });
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    await firstRowShown(cdp, timeoutMs);
    const mainThread = await mainThreadTime(cdp);
    return { ...((await evaluate(cdp, read(target.scriptPath))) as Omit<PortalLoad, 'mainThread'>), mainThread };
  } finally {
    await context.close();
  }
}

/**
 * Waits for the probe's promise over the DevTools protocol. Not with Playwright's
 * `waitForFunction`: that evaluates Playwright's own injected script in the page (tens
 * of milliseconds of the page's main thread) in the middle of the load being measured.
 */
async function firstRowShown(cdp: CDPSession, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No order row within ${timeoutMs} ms.`)), timeoutMs);
  });
  const shown = async () => {
    // Right after the commit the new document may not have its context yet: the old one answers undefined.
    while (typeof (await evaluate(cdp, 'window.__portalBenchShown').catch(() => undefined)) !== 'number') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await Promise.race([shown(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Evaluates an expression in the page's main world (no CSP applies to the protocol), awaiting a promise. */
async function evaluate(cdp: CDPSession, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

/** The main thread's busy time so far, from Chromium's performance counters (seconds), in ms. */
async function mainThreadTime(cdp: CDPSession): Promise<PortalLoad['mainThread']> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? NaN) * 1000;
  return {
    busy: value('TaskDuration'),
    script: value('ScriptDuration'),
    style: value('RecalcStyleDuration'),
    layout: value('LayoutDuration'),
  };
}
