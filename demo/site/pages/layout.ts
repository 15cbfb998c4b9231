import { escapeHtml } from '../../../server/lib/html';

export { escapeHtml };

/** What a demo page is made of; the stylesheet and scripts are URLs, so the page needs no inline code. */
export interface DocumentParts {
  title: string;
  /** `/assets/shop.css` and the like, served by the demo site itself. */
  stylesheet: string;
  /** Module scripts, in order: the widget from the portal's origin first, then the page's own. */
  scripts: string[];
  bodyClass: string;
  body: string;
}

/** A complete HTML document with no inline script or style (the demo pages run under a strict CSP). */
export function htmlDocument({ title, stylesheet, scripts, bodyClass, body }: DocumentParts): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="${escapeHtml(stylesheet)}">` +
    scripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('') +
    `</head><body class="${bodyClass}">${body}</body></html>`
  );
}

/** The two lines a merchant pastes, shown on the pages as the demo's own source. */
export function embedSnippet(portalUrl: string, attributes = 'store="demo"'): string {
  return (
    `<script type="module" src="${portalUrl}/widget/account-portal.js"></script>\n` +
    `<account-portal ${attributes}></account-portal>`
  );
}
