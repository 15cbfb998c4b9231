import type { BrowserFamily, OsFamily } from '../contract';

/** A device as the activity log describes it: a browser family on an operating system family. */
export interface DeviceDescription {
  browser: BrowserFamily;
  os: OsFamily;
}

/** First match wins: browsers that build on Chrome or Safari name themselves before the engine they build on. */
const browsers: [RegExp, BrowserFamily][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'edge'],
  [/\bOPR\/|\bOpera\b|\bOPT\//, 'opera'],
  [/\bSamsungBrowser\//, 'samsung'],
  [/\bFirefox\/|\bFxiOS\//, 'firefox'],
  [/(?:\b|Headless)Chrome\/|\bCriOS\/|\bChromium\//, 'chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\/|\b(?:iPhone|iPad|iPod)\b.*\bMobile\//, 'safari'],
];

const systems: [RegExp, OsFamily][] = [
  [/\bWindows\b/, 'windows'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'ios'],
  [/\bAndroid\b/, 'android'],
  [/\bCrOS\b/, 'chromeos'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macos'],
  [/\bLinux\b|\bX11\b/, 'linux'],
];

/**
 * A coarse description of the device behind a User-Agent header: its browser and
 * operating system families, and nothing else (no version, no model), so the
 * activity log never keeps a fingerprint. No header: unknown (null).
 */
export function describeDevice(userAgent: string | undefined): DeviceDescription | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  return {
    browser: browsers.find(([pattern]) => pattern.test(ua))?.[1] ?? 'other',
    os: systems.find(([pattern]) => pattern.test(ua))?.[1] ?? 'other',
  };
}
