// Where this module was loaded from. The portal server serves the widget under /widget/
// (the entry, its chunks, and in development its sources), so a copy loaded from there
// knows its API; a copy in a merchant's bundle or on a CDN does not, and needs `api-base`.
export const scriptUrl = new URL(import.meta.url);
const servedByPortal = scriptUrl.pathname.startsWith('/widget/');

/** The Portal API's origin for a portal with this `api-base` attribute: its own, else the server it came from; '' when neither. */
export const portalApiBase = (attribute: string | null | undefined): string =>
  (attribute || (servedByPortal ? scriptUrl.origin : '')).replace(/\/+$/, '');
