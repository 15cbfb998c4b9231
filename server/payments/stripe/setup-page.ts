import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { messages, type Language } from '../../i18n';
import { escapeHtml, styleHashSource } from '../../lib/html';
import { dataBlock, documentHtml } from '../test-gateway-page';
import type { BrowserSources } from '../gateway';
import { projectPath } from '../../lib/project-root';

/** Where the page's own script is served from. */
export const STRIPE_SETUP_SCRIPT_PATH = '/gateway/stripe/setup.js';

/** Stripe.js, loaded by the setup page only (the widget bundle never includes it). */
export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

let script: { body: string; etag: string } | undefined;

/** The page's browser script (setup-page.js beside this module's source, read on first use) and its ETag. */
export function stripeSetupScript(): { body: string; etag: string } {
  if (!script) {
    const body = readFileSync(projectPath('server/payments/stripe/setup-page.js'), 'utf8');
    script = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  }
  return script;
}

export interface StripeSetupPageInput {
  language: Language;
  setupId: string;
  parentOrigins: string[];
  css: string;
  publishableKey: string;
  /** The SetupIntent's client secret: lets Stripe.js confirm this one SetupIntent, nothing else. */
  clientSecret: string;
  stripeJsUrl: string;
  /** Where a payment method that redirects (a bank's page) comes back to: this page. */
  returnUrl: string;
}

/**
 * The card setup page with Stripe's Payment Element on the setup's SetupIntent.
 * Stripe.js collects the card inside its own frames and confirms the SetupIntent
 * with Stripe directly (3-D Secure included); the page then posts only the
 * resulting `pm_…` id to the parent window, as the test gateway's page posts its token.
 */
export function renderStripeSetupPage(input: StripeSetupPageInput): string {
  const words = messages(input.language).pages.stripeSetup;
  const data = {
    setupId: input.setupId,
    parentOrigins: input.parentOrigins,
    publishableKey: input.publishableKey,
    clientSecret: input.clientSecret,
    returnUrl: input.returnUrl,
    locale: input.language,
    messages: { saving: words.saving, failed: words.failed },
  };
  const body =
    `<main><h1>${escapeHtml(words.title)}</h1><p class="intro">${escapeHtml(words.intro)}</p>` +
    '<div id="form-alert" class="alert" role="alert" hidden></div>' +
    '<form id="setup-form" novalidate><div id="payment-element"></div>' +
    `<div class="actions"><button type="submit" class="primary" id="save">${escapeHtml(words.save)}</button>` +
    `<button type="button" class="secondary" id="cancel">${escapeHtml(words.cancel)}</button></div>` +
    '<p id="status" role="status" aria-live="polite"></p></form></main>' +
    `<script type="application/json" id="setup-data">${dataBlock(data)}</script>` +
    `<script src="${escapeHtml(input.stripeJsUrl)}"></script>` +
    `<script type="module" src="${STRIPE_SETUP_SCRIPT_PATH}"></script>`;
  return documentHtml(input.language, words.title, input.css, body);
}

/**
 * The page's policy: scripts from this server and Stripe.js's origin only, network
 * connections to Stripe's API only, Stripe's frames (the Payment Element, 3-D
 * Secure), no form submission, framed only by the given ancestors.
 */
export function stripeSetupPolicy(
  css: string,
  frameAncestors: string,
  stripe: { jsOrigin: string; apiOrigin: string },
): string {
  const sources = stripeBrowserSources(stripe);
  return [
    "default-src 'none'",
    `script-src 'self' ${sources.script}`,
    `style-src ${styleHashSource(css)}`,
    `img-src 'self' data: ${sources.img}`,
    `connect-src ${sources.connect}`,
    `frame-src ${sources.frame}`,
    "form-action 'none'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/**
 * What a page running Stripe.js must allow: its script's origin, Stripe's API, and
 * its frames (the Payment Element and the 3-D Secure challenge, served from
 * js.stripe.com and hooks.stripe.com); with `STRIPE_API_HOST`, that one host.
 */
export function stripeBrowserSources(stripe: { jsOrigin: string; apiOrigin: string }): BrowserSources {
  const own = stripe.jsOrigin === 'https://js.stripe.com';
  return {
    script: stripe.jsOrigin,
    connect: stripe.apiOrigin,
    frame: own ? 'https://js.stripe.com https://hooks.stripe.com' : stripe.jsOrigin,
    img: own ? 'https://*.stripe.com' : stripe.jsOrigin,
  };
}
