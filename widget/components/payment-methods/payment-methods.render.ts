import { html, nothing, svg, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Localizer } from '../../internal/localizer';
import type { PortalPaymentMethod, PortalSubscription } from '../../internal/types';
import { emptyCard } from '../shared/list-states';
import { brandMark, cardName, cardSpoken, expiryText, nameList } from './payment-method-format';
import { dialogExportParts } from '../dialog/dialog-parts';

/** What the render helpers need from `<ap-payment-methods>`: its language, what is running, and its actions. */
export interface MethodsView {
  i18n: Localizer;
  /** The running action, such as `default:pm_…`, `remove:pm_…` or `subscription:sub_…`. */
  busy: string | null;
  /** The session may add, remove and choose cards (a merchant's limits may take that away: it only looks then). */
  canChange: boolean;
  onAdd(opener?: { subscription?: PortalSubscription }): void;
  onMakeDefault(method: PortalPaymentMethod): void;
  onReplace(method: PortalPaymentMethod): void;
  onRemove(method: PortalPaymentMethod): void;
  onChoose(subscription: PortalSubscription, paymentMethodId: string, select: HTMLSelectElement): void;
}

const emptyIcon = svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
  <rect x="6" y="12" width="36" height="24" rx="3"/><path d="M6 19h36"/><path d="M12 29h8"/></svg>`;

/** A card's name for sighted readers ("Visa •••• 4242") and for screen readers ("Visa ending in 4242"). */
export function cardLabel(method: PortalPaymentMethod, i18n: Localizer): TemplateResult {
  return html`<span aria-hidden="true">${cardName(method, i18n)}</span><span class="visually-hidden">${cardSpoken(method, i18n)}</span>`;
}

function badges(method: PortalPaymentMethod, i18n: Localizer): TemplateResult | typeof nothing {
  const list = [
    method.isDefault
      ? html`<span part="badge" class="badge default">${i18n.t('paymentMethods.badges.default')}</span>`
      : nothing,
    method.expired
      ? html`<span part="badge" class="badge expired">${i18n.t('paymentMethods.badges.expired')}</span>`
      : nothing,
    method.expiresSoon && !method.expired
      ? html`<span part="badge" class="badge soon">${i18n.t('paymentMethods.badges.expiresSoon')}</span>`
      : nothing,
  ];
  return method.isDefault || method.expired || method.expiresSoon ? html`<span class="badges">${list}</span>` : nothing;
}

function actions(view: MethodsView, method: PortalPaymentMethod): TemplateResult | typeof nothing {
  const { i18n, busy } = view;
  if (!view.canChange) return nothing;
  const describedBy = `name-${method.id}`;
  const disabled = busy !== null ? 'true' : 'false';
  return html`
    <div class="actions">
      ${
        method.isDefault || method.expired
          ? nothing
          : html`
        <button class="button secondary" part="button" type="button" data-action="default" aria-describedby=${describedBy}
          aria-disabled=${disabled} @click=${() => view.onMakeDefault(method)}>${i18n.t('paymentMethods.makeDefault')}</button>`
      }
      ${
        method.expired || method.expiresSoon
          ? html`
        <button class="button secondary" part="button" type="button" data-action="replace" aria-describedby=${describedBy}
          aria-disabled=${disabled} @click=${() => view.onReplace(method)}>${i18n.t('paymentMethods.replace')}</button>`
          : nothing
      }
      <button class="button secondary danger" part="button" type="button" data-action="remove" aria-describedby=${describedBy}
        aria-disabled=${disabled} @click=${() => view.onRemove(method)}>${i18n.t('paymentMethods.remove')}</button>
    </div>`;
}

/** One saved method: its mark, name, expiry, badges, the subscriptions it pays for, and its actions. */
export function renderMethod(view: MethodsView, method: PortalPaymentMethod): TemplateResult {
  const { i18n } = view;
  const expiry = expiryText(method);
  const names = method.subscriptions.map((s) => s.productName);
  return html`
    <li part="method" class="method ${method.expired ? 'is-expired' : ''}" data-id=${method.id}>
      ${brandMark(method)}
      <div class="details">
        <p class="name"><span id="name-${method.id}" class="name-text" tabindex="-1">${cardLabel(method, i18n)}</span>${badges(method, i18n)}</p>
        ${
          expiry
            ? html`<p class="expiry ${method.expired ? 'expired' : ''}">${i18n.t(
                method.expired ? 'paymentMethods.expiredOn' : 'paymentMethods.expires',
                { expiry },
              )}</p>`
            : nothing
        }
        ${names.length ? html`<p class="usage">${i18n.t('paymentMethods.usedFor', { names: nameList(names, i18n) })}</p>` : nothing}
      </div>
      ${actions(view, method)}
    </li>`;
}

/** Placeholder rows while the list loads. */
export function renderSkeleton(count = 2): TemplateResult {
  return html`${Array.from(
    { length: count },
    () => html`
    <li class="method skeleton-row" aria-hidden="true">
      <span class="mark skeleton"></span>
      <div class="details"><span class="skeleton w-name">\u00a0</span><span class="skeleton w-expiry">\u00a0</span></div>
    </li>`,
  )}`;
}

export function renderEmpty(view: MethodsView): TemplateResult {
  const { i18n } = view;
  return emptyCard(
    emptyIcon,
    i18n.t('paymentMethods.empty'),
    i18n.t('paymentMethods.emptyHint'),
    view.canChange
      ? html`
    <button class="button add" part="button" type="button" @click=${() => view.onAdd()}>${i18n.t('paymentMethods.add')}</button>`
      : nothing,
  );
}

function methodOptions(i18n: Localizer, methods: PortalPaymentMethod[], current: string | null): TemplateResult {
  return html`
    ${current ? nothing : html`<option value="" disabled .selected=${live(true)}>${i18n.t('paymentMethods.subscriptions.choose')}</option>`}
    ${methods.map(
      (method) => html`
      <option value=${method.id} ?disabled=${method.expired} .selected=${live(method.id === current)}>${
        method.expired
          ? i18n.t('paymentMethods.subscriptions.expiredOption', { card: cardSpoken(method, i18n) })
          : cardSpoken(method, i18n)
      }</option>`,
    )}`;
}

function renderSubscription(
  view: MethodsView,
  subscription: PortalSubscription,
  methods: PortalPaymentMethod[],
): TemplateResult {
  const { i18n } = view;
  const id = subscription.id;
  const manual = subscription.renewal === 'manual' || !subscription.autoRenew;
  const saving = view.busy === `subscription:${id}`;
  const renewal = html`<p class="hint ${manual ? 'manual' : ''}" id="renewal-${id}">${i18n.t(
    manual ? 'paymentMethods.subscriptions.manual' : 'paymentMethods.subscriptions.automatic',
  )}</p>`;
  if (!view.canChange) {
    // A session that may only look: which card pays, without a way to choose another.
    const method = subscription.paymentMethod as PortalPaymentMethod | null;
    return html`
      <li part="subscription" class="subscription" data-id=${id}>
        <p id="subscription-${id}" part="label" class="label"><bdi>${subscription.product.name}</bdi></p>
        ${renewal}
        <p class="current">${
          method ? cardLabel(method, i18n) : html`<span class="muted">${i18n.t('subscriptions.noPaymentMethod')}</span>`
        }</p>
      </li>`;
  }
  return html`
    <li part="subscription" class="subscription" data-id=${id}>
      <label for="method-for-${id}" id="subscription-${id}" part="label"><bdi>${subscription.product.name}</bdi></label>
      ${renewal}
      <div class="choice">
        ${
          methods.length
            ? html`
          <select id="method-for-${id}" part="input" aria-describedby="renewal-${id}" aria-busy=${saving ? 'true' : 'false'}
            @change=${(e: Event) => {
              const select = e.target as HTMLSelectElement;
              view.onChoose(subscription, select.value, select);
            }}>${methodOptions(i18n, methods, subscription.paymentMethod?.id ?? null)}</select>`
            : nothing
        }
        <button class="button secondary" part="button" type="button" data-action="new-card" aria-describedby="subscription-${id}"
          @click=${() => view.onAdd({ subscription })}>${i18n.t('paymentMethods.subscriptions.useNew')}</button>
      </div>
      <p class="saving" role="status">${saving ? i18n.t('paymentMethods.subscriptions.saving') : ''}</p>
    </li>`;
}

/** Which card pays for which subscription, with a select of saved cards for each. */
export function renderSubscriptions(
  view: MethodsView,
  subscriptions: PortalSubscription[],
  methods: PortalPaymentMethod[],
): TemplateResult | typeof nothing {
  if (subscriptions.length === 0) return nothing;
  const { i18n } = view;
  return html`
    <section class="card subscriptions" part="card" aria-labelledby="subscriptions-title">
      <h3 id="subscriptions-title" class="subtitle">${i18n.t('paymentMethods.subscriptions.title')}</h3>
      <p class="muted">${i18n.t('paymentMethods.subscriptions.intro')}</p>
      <ul class="subscription-list">${subscriptions.map((s) => renderSubscription(view, s, methods))}</ul>
    </section>`;
}

/** What the remove confirmation shows. */
export interface RemovalView {
  method: PortalPaymentMethod;
  /** The card that takes over as default and pays for the removed card's subscriptions, if any. */
  successor: PortalPaymentMethod | null;
  /** Why the last attempt failed, in plain words. */
  problem: string;
  /** The server refused because the card is the only one an automatic renewal needs: offer to add one instead. */
  blocked: boolean;
  onConfirm(): void;
  onKeep(): void;
}

/** The confirmation before removing a card, saying what happens to its subscriptions. */
export function renderRemoveDialog(view: MethodsView, removal: RemovalView | null): TemplateResult {
  const { i18n } = view;
  const method = removal?.method;
  const busy = method ? view.busy === `remove:${method.id}` : false;
  const names = method
    ? nameList(
        method.subscriptions.map((s) => s.productName),
        i18n,
      )
    : '';
  const successor = removal?.successor ? cardName(removal.successor, i18n) : '';
  return html`
    <ap-dialog class="remove-dialog" alert exportparts=${dialogExportParts} ?open=${removal !== null}
      label=${method ? i18n.t('paymentMethods.removeDialog.title', { card: cardName(method, i18n) }) : ''}
      @ap-request-close=${(e: Event) => {
        // The dialog's own business: it goes no further than this screen.
        e.stopPropagation();
        if (busy) e.preventDefault();
      }}
      @ap-dialog-close=${(e: Event) => {
        e.stopPropagation();
        removal?.onKeep();
      }}>
      ${
        method && removal
          ? html`
        <p>${i18n.t('paymentMethods.removeDialog.body')}</p>
        ${method.isDefault && successor ? html`<p>${i18n.t('paymentMethods.removeDialog.newDefault', { card: successor })}</p>` : nothing}
        ${names && successor ? html`<p>${i18n.t('paymentMethods.removeDialog.movesTo', { names, card: successor })}</p>` : nothing}
        <p class="dialog-problem" role="alert">${removal.problem}</p>
        <button slot="footer" class="button secondary keep" part="button" type="button" autofocus
          @click=${() => removal.onKeep()}>${i18n.t('paymentMethods.removeDialog.keep')}</button>
        ${
          removal.blocked
            ? html`
          <button slot="footer" class="button add-instead" part="button" type="button"
            @click=${() => view.onAdd()}>${i18n.t('paymentMethods.add')}</button>`
            : html`
          <button slot="footer" class="button danger confirm" part="button" type="button" aria-disabled=${busy ? 'true' : 'false'}
            @click=${() => {
              if (!busy) removal.onConfirm();
            }}>${
              busy ? i18n.t('paymentMethods.removeDialog.removing') : i18n.t('paymentMethods.removeDialog.confirm')
            }</button>`
        }`
          : nothing
      }
    </ap-dialog>`;
}
