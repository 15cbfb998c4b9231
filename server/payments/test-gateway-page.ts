import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { escapeHtml } from '../lib/html';
import { projectPath } from '../lib/project-root';
import type { SchemeColours } from '../contract';
import { colourSchemeCss, defaultTheme, type Theme } from '../lib/theme';
import { directionOf, messages, type Language, type Messages } from '../i18n';
import { testCards } from './test-cards';

/** Where the page's script is served from (the page's CSP allows scripts from this server only). */
export const SETUP_SCRIPT_PATH = '/gateway/test/setup.js';

let script: { body: string; etag: string } | undefined;

/**
 * The setup page's browser script and its ETag: it validates the card, turns it
 * into a test token in the browser and posts the token to the parent window. A
 * plain file next to this module's source, read on first use (no I/O at import time).
 */
export function setupPageScript(): { body: string; etag: string } {
  if (!script) {
    const body = readFileSync(projectPath('server/payments/test-gateway-page.js'), 'utf8');
    script = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  }
  return script;
}

const brandNames: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express' };

/** The page's layout and type, in the palette's custom properties (--p primary, --op text on it, --t text, --b background, --s surface, --e danger). */
const layoutCss =
  '*,*::before,*::after{box-sizing:border-box}' +
  'main{max-width:32rem;margin:0 auto;padding:1rem}' +
  'h1{font-size:1.25rem;line-height:1.3;margin:0 0 .25rem}h2{font-size:1rem;margin:0 0 .25rem}' +
  '.badge{display:inline-block;margin:0 0 .5rem;padding:.125rem .5rem;border-radius:999px;font-size:.8125rem;' +
  'font-weight:600;background:#fef3c7;color:#78350f}' +
  '.intro,.hint,.test-cards p{margin:0 0 1rem;font-size:.875rem;color:color-mix(in srgb,var(--t) 75%,transparent)}' +
  '.field{margin:0 0 1rem}.row{display:flex;flex-wrap:wrap;gap:0 1rem}.row .field{flex:1 1 8rem}' +
  'label{display:block;font-weight:600;margin:0 0 .25rem}label span{font-weight:400}' +
  '.hint{display:block;margin:0 0 .25rem;font-size:.8125rem}' +
  'input{width:100%;font:inherit;padding:.625rem .75rem;border:1px solid color-mix(in srgb,var(--t) 35%,transparent);' +
  'border-radius:var(--r);background:var(--b);color:var(--t)}' +
  'input:focus-visible,button:focus-visible{outline:3px solid color-mix(in srgb,var(--p) 60%,transparent);outline-offset:2px}' +
  'input[aria-invalid=true]{border-color:var(--e)}' +
  '.error{margin:.25rem 0 0;color:var(--e);font-size:.875rem;font-weight:600}' +
  '.alert{margin:0 0 1rem;padding:.75rem;border-radius:var(--r);border:1px solid var(--e);color:var(--e);font-weight:600}' +
  '.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1.25rem 0 .5rem}' +
  'button{font:inherit;font-weight:600;padding:.625rem 1rem;border-radius:var(--r);cursor:pointer;min-height:44px}' +
  '.primary{background:var(--p);color:var(--op);border:1px solid var(--p);flex:1 1 auto}' +
  '.secondary{background:transparent;color:var(--t);border:1px solid color-mix(in srgb,var(--t) 35%,transparent)}' +
  '#status{min-height:1.5rem;margin:0;font-size:.875rem}' +
  '.test-cards{margin:1.5rem 0 0;padding:1rem;border-radius:var(--r);background:var(--s);' +
  'border:1px dashed color-mix(in srgb,var(--t) 30%,transparent)}' +
  '.test-cards ul{list-style:none;margin:0;padding:0}' +
  '.test-cards li{display:grid;grid-template-columns:minmax(0,1fr) auto;align-items:center;gap:0 .75rem;' +
  'padding:.5rem 0;border-top:1px solid color-mix(in srgb,var(--t) 12%,transparent)}' +
  '.test-cards code{font:600 .9375rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:nowrap}' +
  '.test-cards .what{grid-column:1;font-size:.875rem}' +
  '.test-cards button{grid-column:2;grid-row:1/span 2;min-height:36px;padding:.25rem .75rem;font-size:.875rem}' +
  '[hidden]{display:none!important}';

/**
 * The page's CSS, in the store's portal colours (light and dark as the widget shows them),
 * corner radius and font, so the frame blends into the widget.
 */
export function setupPageCss(theme: Theme = defaultTheme): string {
  const vars = (c: SchemeColours) =>
    `--p:${c.primary};--op:${c.onPrimary};--t:${c.text};--b:${c.background};--s:${c.surface};--e:${c.danger}`;
  return (
    colourSchemeCss(theme, vars) +
    `:root{--r:${Math.min(theme.radius, 16)}px}` +
    `body{margin:0;background:var(--b);color:var(--t);font:16px/1.5 ${theme.fontFamily.replace(/[^A-Za-z0-9 ,"'-]/g, '')};` +
    `-webkit-text-size-adjust:100%}${layoutCss}`
  );
}

/** A card number in groups as printed on the card (American Express 4-6-5, others by 4). */
export function groupCardNumber(number: string): string {
  if (number.length === 15) return `${number.slice(0, 4)} ${number.slice(4, 10)} ${number.slice(10)}`;
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** JSON for a `<script type="application/json">` data block: nothing in it can close the element. */
export const dataBlock = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

function field(id: string, label: string, attributes: string, hint?: string): string {
  const hintHtml = hint ? `<span class="hint" id="${id}-hint">${escapeHtml(hint)}</span>` : '';
  const describedBy = `${hint ? `${id}-hint ` : ''}${id}-error`;
  return (
    `<div class="field"><label for="${id}">${label}</label>${hintHtml}` +
    `<input id="${id}" ${attributes} aria-describedby="${describedBy}">` +
    `<p class="error" id="${id}-error" hidden></p></div>`
  );
}

/** Everything the test gateway's setup page says. */
type SetupPageWords = Messages['pages']['testGateway'];

function testCardList(words: SetupPageWords): string {
  const items = testCards
    .map((card) => {
      const brand = brandNames[card.brand] ?? card.brand;
      const grouped = groupCardNumber(card.number);
      return (
        `<li><code>${grouped}</code><span class="what">${escapeHtml(brand)}: ${escapeHtml(words.behaviours[card.behaviour])}</span>` +
        `<button type="button" class="secondary" data-card="${card.number}" aria-label="${escapeHtml(`${words.use} ${brand} ${grouped}`)}">` +
        `${escapeHtml(words.use)}</button></li>`
      );
    })
    .join('');
  return (
    '<section class="test-cards" aria-labelledby="test-cards-heading">' +
    `<h2 id="test-cards-heading">${escapeHtml(words.testCardsHeading)}</h2>` +
    `<p>${escapeHtml(words.testCardsIntro)}</p><ul>${items}</ul></section>`
  );
}

function form(words: SetupPageWords): string {
  const optional = ` <span>(${escapeHtml(words.optional)})</span>`;
  return (
    '<form id="card-form" novalidate>' +
    field(
      'card-number',
      escapeHtml(words.cardNumber),
      'type="text" inputmode="numeric" autocomplete="cc-number" spellcheck="false" maxlength="23" required',
    ) +
    '<div class="row">' +
    field(
      'card-expiry',
      escapeHtml(words.expiry),
      'type="text" inputmode="numeric" autocomplete="cc-exp" spellcheck="false" maxlength="7" required',
      words.expiryHint,
    ) +
    field(
      'card-cvc',
      escapeHtml(words.cvc),
      'type="text" inputmode="numeric" autocomplete="cc-csc" spellcheck="false" maxlength="4" required',
      words.cvcHint,
    ) +
    '</div>' +
    field(
      'card-name',
      escapeHtml(words.name) + optional,
      'type="text" autocomplete="cc-name" spellcheck="false" maxlength="100"',
    ) +
    `<div class="actions"><button type="submit" class="primary">${escapeHtml(words.save)}</button>` +
    `<button type="button" class="secondary" id="cancel">${escapeHtml(words.cancel)}</button></div>` +
    '<p id="status" role="status"></p></form>'
  );
}

/** The whole document around a body, with the one inline style the CSP allows by hash. */
export function documentHtml(language: Language, title: string, css: string, body: string): string {
  return (
    `<!doctype html><html lang="${language}" dir="${directionOf(language)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">' +
    `<title>${escapeHtml(title)}</title><style>${css}</style></head><body>${body}</body></html>`
  );
}

/** The card form for one open setup, with its data block and its script (loaded from {@link SETUP_SCRIPT_PATH}). */
export function renderSetupPage(input: {
  language: Language;
  setupId: string;
  parentOrigins: string[];
  css: string;
}): string {
  const words = messages(input.language).pages.testGateway;
  const data = {
    setupId: input.setupId,
    parentOrigins: input.parentOrigins,
    messages: words.script,
    cards: testCards.map(({ number, brand, behaviour }) => ({ number, brand, behaviour })),
  };
  const body =
    `<main><p class="badge">${escapeHtml(words.badge)}</p><h1>${escapeHtml(words.title)}</h1>` +
    `<p class="intro">${escapeHtml(words.intro)}</p>` +
    '<div id="form-alert" class="alert" role="alert" hidden></div>' +
    `${form(words)}${testCardList(words)}</main>` +
    `<script type="application/json" id="setup-data">${dataBlock(data)}</script>` +
    `<script type="module" src="${SETUP_SCRIPT_PATH}"></script>`;
  return documentHtml(input.language, words.title, input.css, body);
}

/** A plain page for a setup that cannot be used (unknown, expired or already used): no form, no script. */
export function renderSetupMessagePage(
  language: Language,
  state: 'unknown' | 'expired' | 'completed',
  css: string,
): string {
  const words = messages(language).pages.testGateway;
  const [title, text] =
    state === 'unknown'
      ? [words.unknownTitle, words.unknown]
      : state === 'expired'
        ? [words.expiredTitle, words.expired]
        : [words.usedTitle, words.used];
  return documentHtml(
    language,
    title,
    css,
    `<main><p class="badge">${escapeHtml(words.badge)}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main>`,
  );
}
