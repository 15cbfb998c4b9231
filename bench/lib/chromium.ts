import { chromium, type Browser } from 'playwright-core';

/**
 * Chromium's own pages that it preloads into a renderer of their own with every new
 * window: the address bar's suggestion popup (a WebUI page of ~30 scripts). Playwright
 * opens each browser context in a new window, so without this every measured page load
 * shares the machine's two cores with ~300 ms of that renderer's work, which a visitor's
 * browser does once, when its window opens, not with each page.
 */
const browserUiPreloads = [
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
  'PreloadTopChromeWebUI',
];

/**
 * Launches headless Chromium for measuring page loads, with {@link browserUiPreloads}
 * turned off. Chromium keeps only the last `--disable-features` it is given, and
 * Playwright passes its own list (features that would make requests to Google or change
 * how pages paint), so the list is read from a first launch and extended, not replaced.
 */
export async function launchForMeasuring(executablePath: string, args: string[]): Promise<Browser> {
  // The protocol returns the command line only to a browser started for automation.
  const probe = await chromium.launch({ executablePath, args: [...args, '--enable-automation'] });
  let playwrights: string | undefined;
  try {
    const cdp = await probe.newBrowserCDPSession();
    const { arguments: argv } = await cdp.send('Browser.getBrowserCommandLine');
    playwrights = argv.find((arg) => arg.startsWith('--disable-features='));
  } finally {
    await probe.close();
  }
  const disabled = [playwrights?.slice('--disable-features='.length), ...browserUiPreloads].filter(Boolean).join(',');
  return chromium.launch({
    executablePath,
    args: [...args, `--disable-features=${disabled}`],
    ignoreDefaultArgs: playwrights ? [playwrights] : [],
  });
}
