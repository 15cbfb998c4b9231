import { html, nothing, type TemplateResult } from 'lit';
import type { SessionState } from '../controllers/session-controller';
import type { ApiError } from '../internal/api-client';
import { dialogPartNames } from '../components/dialog/dialog-parts';
import { isDefined, type LazyTag } from '../internal/lazy-elements';
import type { Localizer } from '../internal/localizer';
import { problemText } from '../internal/problem-text';
import { safeUrl } from '../internal/safe-url';
import { tabOf, type Route, type TabId, type tabs } from '../internal/routes';
import type { FoundToken } from '../internal/url-tokens';
import type { PortalAccountView, PortalConfig } from '../internal/types';

export interface PortalView {
  i18n: Localizer;
  config: PortalConfig | null;
  fatal: ApiError | null;
  state: SessionState;
  account: PortalAccountView | null;
  route: Route;
  /** The tabs the session may use, in display order (a merchant's limits may take some away). */
  tabs: readonly (typeof tabs)[number][];
  signInProblem: { error: ApiError; found: FoundToken | null } | null;
  /** The token of the password reset link the customer arrived with (the sign-in screen asks for a new password). */
  resetToken: string;
  onSignOut(): void;
  onRetry(): void;
  /** The current screen's chunk failed to load: "Try again" loads it again. */
  chunkFailed: boolean;
  onRetryChunk(): void;
  /** Starts loading a screen's chunk ahead of a likely click (a tab hovered or focused). */
  prefetch(route: Route): void;
  go(route: Route, focus?: 'panel' | 'tab'): void;
}

const tabRoute = (id: TabId): Route => ({ name: id });

/**
 * The parts of the tab elements, re-exported so `account-portal::part(card)` styles them all.
 * Each is documented with `@csspart` on `AccountPortal`.
 */
const sharedParts = [
  'card',
  'button',
  'input',
  'label',
  'field',
  'hint',
  'error',
  'status',
  'title',
  'table',
  'row',
  'link',
  'back-link',
  'items',
  'totals',
  'gift',
  'gift-message',
  'fulfilment',
  'instructions',
  'license-key',
  'licence-key',
  'key',
  'copy-button',
  'download-button',
  'summary',
  'feedback',
  'checkbox',
  'business',
  'method',
  'brand',
  'badge',
  'subscription',
  'entry',
  ...dialogPartNames,
  'frame',
];

/** The screens whose `base` part is re-exported as `<screen>-base` (`<ap-account-form>` has none). */
const screensWithBase = [
  'orders',
  'order-detail',
  'subscriptions',
  'subscription-detail',
  'payment-methods',
  'activity',
] as const;
type Screen = (typeof screensWithBase)[number] | 'account-form';

const partsOf = (screen: Screen) =>
  [...(screen === 'account-form' ? [] : [`base:${screen}-base`]), ...sharedParts].join(', ');

/** Every part `<account-portal>` re-exports from its screens, by the name the page uses. */
export const forwardedParts: readonly string[] = [...screensWithBase.map((screen) => `${screen}-base`), ...sharedParts];

/**
 * Arrow keys, Home and End move between tabs and select them (the WAI-ARIA tabs pattern,
 * automatic activation). The arrows follow the eye: in right-to-left text the next tab is
 * to the left.
 */
function onTabKey(event: KeyboardEvent, view: PortalView): void {
  const { tabs } = view;
  const list = event.currentTarget as HTMLElement;
  const index = tabs.findIndex((tab) => tab.id === tabOf(view.route));
  const last = tabs.length - 1;
  const [forward, back] = list.matches(':dir(rtl)') ? ['ArrowLeft', 'ArrowRight'] : ['ArrowRight', 'ArrowLeft'];
  const next = {
    [forward]: index === last ? 0 : index + 1,
    [back]: index === 0 ? last : index - 1,
    Home: 0,
    End: last,
  }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  view.go(tabRoute(tabs[next].id), 'tab');
  queueMicrotask(() => list.querySelector<HTMLElement>(`#tab-${tabs[next].id}`)?.focus());
}

/** The element that shows a route: the orders list is in the entry module, the other screens load on demand. */
export function panelTag(route: Route): 'ap-orders' | LazyTag {
  switch (route.name) {
    case 'order':
      return 'ap-order-detail';
    case 'account':
      return 'ap-account-form';
    case 'subscriptions':
      return 'ap-subscriptions';
    case 'subscription':
      return 'ap-subscription-detail';
    case 'payment-methods':
      return 'ap-payment-methods';
    default:
      return 'ap-orders';
  }
}

/**
 * Stands in for a screen whose chunk is still on its way: the same loading card the
 * screens show while their data loads, as tall as the panel, so nothing jumps when the
 * element arrives; or, when the chunk could not be loaded, the network problem and "Try again".
 */
function renderPending(view: PortalView): TemplateResult {
  const { i18n } = view;
  if (view.chunkFailed) {
    return html`<div class="card" part="card" role="alert">
      <p>${i18n.t('errors.network_error')}</p>
      <button class="button" part="button" type="button" @click=${view.onRetryChunk}>${i18n.t('portal.retry')}</button>
    </div>`;
  }
  return html`<div class="card pending" part="card" aria-busy="true">
    <p class="visually-hidden" role="status">${i18n.t('portal.loading')}</p>
    <span class="skeleton pending-line"></span><span class="skeleton pending-line short"></span>
  </div>`;
}

function renderPanel(view: PortalView): TemplateResult {
  if (!isDefined(panelTag(view.route))) return renderPending(view);
  switch (view.route.name) {
    case 'order':
      return html`<ap-order-detail order-id=${view.route.id} exportparts=${partsOf('order-detail')}></ap-order-detail>`;
    case 'account':
      return html`<ap-account-form exportparts=${partsOf('account-form')}></ap-account-form>
        <ap-activity exportparts=${partsOf('activity')}></ap-activity>`;
    case 'subscriptions':
      return html`<ap-subscriptions exportparts=${partsOf('subscriptions')}></ap-subscriptions>`;
    case 'subscription':
      return html`<ap-subscription-detail subscription-id=${view.route.id} action=${view.route.action ?? ''}
        exportparts=${partsOf('subscription-detail')}></ap-subscription-detail>`;
    case 'payment-methods':
      return html`<ap-payment-methods exportparts=${partsOf('payment-methods')}></ap-payment-methods>`;
    default:
      return html`<ap-orders exportparts=${partsOf('orders')}></ap-orders>`;
  }
}

function renderHeader(view: PortalView): TemplateResult {
  const { i18n, config, account } = view;
  const name = config?.store.name ?? '';
  const logo = safeUrl(config?.logoUrl, ['https:']);
  return html`
    <div part="header" class="header">
      ${
        logo
          ? html`<img class="logo" src=${logo} alt=${name} height="32">`
          : html`<bdi class="store-name">${name}</bdi>`
      }
      ${
        account
          ? html`
        <div class="who">
          <span class="muted email" dir="ltr" title=${i18n.t('portal.signedInAs', { email: account.email })}>${account.email}</span>
          <button class="button secondary" part="button" @click=${view.onSignOut}>${i18n.t('portal.signOut')}</button>
        </div>`
          : nothing
      }
    </div>`;
}

function renderSignedIn(view: PortalView): TemplateResult {
  const { i18n } = view;
  const active = tabOf(view.route);
  return html`
    <div role="tablist" part="tabs" class="tabs" aria-label=${i18n.t('portal.tabsLabel')} @keydown=${(e: KeyboardEvent) => onTabKey(e, view)}>
      ${view.tabs.map(
        (tab) => html`
        <button role="tab" part="tab" id="tab-${tab.id}" class="tab" aria-controls="panel"
          aria-selected=${tab.id === active ? 'true' : 'false'} tabindex=${tab.id === active ? 0 : -1}
          @pointerenter=${() => view.prefetch(tabRoute(tab.id))} @focus=${() => view.prefetch(tabRoute(tab.id))}
          @click=${() => view.go(tabRoute(tab.id), 'tab')}>${i18n.t(`portal.tabs.${tab.id}`)}</button>`,
      )}
    </div>
    <section role="tabpanel" part="panel" id="panel" class="panel" aria-labelledby="tab-${active}" tabindex="-1">
      ${renderPanel(view)}
    </section>`;
}

function renderBody(view: PortalView): TemplateResult {
  const { i18n } = view;
  if (view.fatal?.code === 'api_base_required') {
    return html`<div class="card" part="card" role="alert"><p>${i18n.t('portal.apiBaseRequired')}</p></div>`;
  }
  if (view.fatal) {
    return html`<div class="card" part="card" role="alert">
      <p>${problemText(view.fatal, i18n)}</p>
      <button class="button" part="button" @click=${view.onRetry}>${i18n.t('portal.retry')}</button>
    </div>`;
  }
  if (view.state === 'unknown' || !view.config) {
    return html`<div class="card redeeming" part="card" aria-busy="true">
      <p role="status">${view.state === 'unknown' ? i18n.t('signIn.redeeming') : i18n.t('portal.loading')}</p>
    </div>`;
  }
  if (view.state === 'signed-in') return renderSignedIn(view);
  const problem = view.signInProblem;
  return html`<ap-sign-in
    .expired=${view.state === 'expired'}
    .problem=${problem?.error ?? null}
    .managementToken=${problem?.found?.kind === 'management' ? problem.found.token : ''}
    .resetToken=${view.resetToken}
    .returnTo=${view.state === 'expired' ? view.route : null}></ap-sign-in>`;
}

/** The support contact: the email address, else the support URL; never a link with another scheme. */
function renderFooter(view: PortalView): TemplateResult | typeof nothing {
  const support = view.config?.support;
  const byEmail = support?.email ? safeUrl(`mailto:${support.email}`, ['mailto:']) : undefined;
  const link = byEmail ?? safeUrl(support?.url, ['https:', 'mailto:']);
  if (!link) return nothing;
  const contact = byEmail ? support!.email! : link.replace(/^mailto:/, '');
  return html`<p class="footer muted">
    ${view.i18n.t('portal.support')} <a href=${link} part="link" dir="ltr">${contact}</a>
  </p>`;
}

/** The portal's whole view for one state. */
export function renderPortal(view: PortalView): TemplateResult {
  return html`
    <div part="base" class="portal" lang=${view.i18n.language} tabindex="-1"
      aria-label=${view.i18n.t('portal.label', { store: view.config?.store.name ?? '' })} role="region">
      ${renderHeader(view)}
      ${renderBody(view)}
      ${renderFooter(view)}
    </div>`;
}
