import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../../internal/localizer';
import {
  endsAt,
  hasEnded,
  methodLabel,
  nextPaymentText,
  priceText,
  recurringText,
  scheduledChangeText,
  stateBadge,
  type PortalSubscription,
} from '../subscriptions/subscription-format';
import type { DialogKind } from './flow';

/** The actions that take effect at once, without a dialog (confirming a payment shows only the bank's challenge). */
export type QuickAction = 'resume' | 'unpause' | 'undo' | 'confirm';

/** What the detail's sections need from the element. */
export interface DetailView {
  i18n: Localizer;
  sub: PortalSubscription;
  /** The quick action whose request is running. */
  busy: QuickAction | null;
  open(kind: DialogKind, event: Event): void;
  act(action: QuickAction): void;
  requestPaymentMethod(): void;
  /** The session may choose or add a payment method (a merchant's limits may take that away). */
  canChangeMethod: boolean;
}

function quickButton(view: DetailView, action: QuickAction, label: string, primary = true): TemplateResult {
  const busy = view.busy === action;
  return html`<button class="button ${primary ? '' : 'secondary'}" part="button" type="button" data-action=${action}
    aria-disabled=${view.busy ? 'true' : 'false'} @click=${() => {
      if (!view.busy) view.act(action);
    }}>
    ${busy ? view.i18n.t('subscriptions.working') : label}</button>`;
}

function dialogButton(view: DetailView, kind: DialogKind, label: string, variant = ''): TemplateResult {
  return html`<button class="button ${variant}" part="button" type="button" data-opens=${kind} aria-haspopup="dialog"
    @click=${(e: Event) => view.open(kind, e)}>${label}</button>`;
}

function notice(kind: string, text: string, actions: TemplateResult | typeof nothing = nothing): TemplateResult {
  return html`<div class="notice ${kind}" part="card notice"><p>${text}</p>${
    actions === nothing ? nothing : html`<div class="notice-actions">${actions}</div>`
  }</div>`;
}

/** The heading: plan, state and price. */
export function renderHeader({ i18n, sub }: DetailView): TemplateResult {
  return html`
    <header class="head">
      <div class="head-line">
        <h2 id="title" part="title" class="title" tabindex="-1"><bdi>${sub.product.name}</bdi></h2>
        ${stateBadge(sub, i18n)}
      </div>
      <p class="muted">${recurringText(sub, i18n)}${
        sub.quantity > 1 ? html` · ${i18n.t('subscriptions.quantityOf', { count: sub.quantity })}` : nothing
      }</p>
    </header>`;
}

/**
 * What is about to happen or needs the customer: payment failed, a payment to
 * confirm with their bank, ending, paused, a scheduled change, a trial.
 */
export function renderNotices(view: DetailView): TemplateResult[] {
  const { i18n, sub } = view;
  const out: TemplateResult[] = [];
  if (hasEnded(sub)) {
    out.push(
      notice('ended', i18n.t('subscriptions.notices.ended', { date: i18n.date(sub.endedAt ?? sub.currentPeriodEnd) })),
    );
  }
  if (sub.state === 'overdue') {
    out.push(
      notice(
        'problem',
        sub.renewal === 'manual'
          ? i18n.t('subscriptions.notices.overdueManual')
          : sub.nextCharge
            ? i18n.t('subscriptions.notices.overdue', { date: i18n.date(sub.nextCharge.at) })
            : i18n.t('subscriptions.notices.overdueNoRetry'),
        sub.renewal === 'manual' && sub.actions.renew
          ? dialogButton(view, 'renew', i18n.t('subscriptions.renew.action'))
          : view.canChangeMethod
            ? html`<button class="button" part="button" type="button" @click=${view.requestPaymentMethod}>
        ${i18n.t('subscriptions.updatePaymentMethod')}</button>`
            : nothing,
      ),
    );
  }
  const confirmation = sub.paymentConfirmation;
  if (sub.state === 'action_required' && confirmation) {
    out.push(
      notice(
        'problem',
        i18n.t('subscriptions.notices.actionRequired', {
          amount: i18n.money(confirmation.total, confirmation.currency),
          date: i18n.date(confirmation.confirmBy ?? sub.currentPeriodEnd),
        }),
        sub.actions.confirmPayment
          ? quickButton(view, 'confirm', i18n.t('subscriptions.confirmPayment.action'))
          : nothing,
      ),
    );
  }
  if (sub.state === 'pending_cancellation') {
    out.push(
      notice(
        'ending',
        i18n.t('subscriptions.notices.ending', { date: i18n.date(endsAt(sub)) }),
        sub.actions.resume ? quickButton(view, 'resume', i18n.t('subscriptions.resume')) : nothing,
      ),
    );
  }
  if (sub.pause && sub.state === 'paused') {
    const amount = sub.nextCharge ? i18n.money(sub.nextCharge.amount, sub.currency) : null;
    out.push(
      notice(
        'paused',
        i18n.t('subscriptions.notices.paused', { date: i18n.date(sub.pause.resumesAt) }),
        sub.actions.unpause
          ? html`${quickButton(view, 'unpause', i18n.t('subscriptions.unpauseNow'))}
        ${amount ? html`<span class="muted hint">${i18n.t('subscriptions.notices.unpauseCharge', { amount })}</span>` : nothing}`
          : nothing,
      ),
    );
  } else if (sub.pause) {
    out.push(
      notice(
        'paused',
        i18n.t('subscriptions.notices.pauseScheduled', {
          start: i18n.date(sub.pause.startsAt),
          resume: i18n.date(sub.pause.resumesAt),
        }),
        sub.actions.unpause ? quickButton(view, 'unpause', i18n.t('subscriptions.withdrawPause'), false) : nothing,
      ),
    );
  }
  const change = scheduledChangeText(sub, i18n);
  if (change && sub.scheduledChange) {
    const next = sub.nextCharge
      ? ` ${i18n.t('subscriptions.notices.changeThen', { amount: i18n.money(sub.nextCharge.amount, sub.currency) })}`
      : '';
    out.push(
      notice(
        'change',
        `${change}.${next}`,
        sub.actions.undoScheduledChange
          ? quickButton(view, 'undo', i18n.t('subscriptions.undoChange'), false)
          : nothing,
      ),
    );
  }
  if (sub.state === 'trial' && sub.trialEndsAt) {
    out.push(notice('trial', i18n.t('subscriptions.notices.trial', { date: i18n.date(sub.trialEndsAt) })));
  }
  return out;
}

/** Plan, quantity, price, period and the next payment. */
export function renderPlan({ i18n, sub }: DetailView): TemplateResult {
  const unit = priceText(i18n, sub.unitPrice, sub.currency, sub.product.interval, sub.product.intervalCount);
  return html`
    <section class="card" part="card" aria-labelledby="plan-title">
      <h3 id="plan-title">${i18n.t('subscriptions.details')}</h3>
      <dl class="facts">
        <dt>${i18n.t('subscriptions.plan')}</dt><dd><bdi>${sub.product.name}</bdi></dd>
        <dt>${i18n.t('subscriptions.quantity')}</dt><dd>${sub.quantity}</dd>
        <dt>${i18n.t('subscriptions.priceLabel')}</dt>
        <dd>${recurringText(sub, i18n)}
          <span class="sub-line muted">${sub.quantity > 1 ? `${i18n.t('subscriptions.unitPrice', { price: unit })} · ` : ''}${i18n.t(
            'subscriptions.inclTax',
            { tax: i18n.money(sub.recurring.tax, sub.currency) },
          )}</span></dd>
        <dt>${i18n.t('subscriptions.period')}</dt>
        <dd>${i18n.t('subscriptions.periodRange', { start: i18n.date(sub.currentPeriodStart), end: i18n.date(sub.currentPeriodEnd) })}</dd>
        <dt>${sub.renewal === 'manual' ? i18n.t('subscriptions.dueLabel') : i18n.t('subscriptions.nextPayment')}</dt>
        <dd>${nextPaymentText(sub, i18n)}</dd>
        <dt>${i18n.t('subscriptions.renewal')}</dt>
        <dd>${sub.renewal === 'manual' ? i18n.t('subscriptions.renewsManually') : i18n.t('subscriptions.renewsAutomatically')}</dd>
      </dl>
    </section>`;
}

/** The payment method and how to change it, or how a manual renewal is paid. */
export function renderPayment(view: DetailView): TemplateResult {
  const { i18n, sub } = view;
  const method = sub.paymentMethod;
  const ended = hasEnded(sub);
  const update =
    ended || !view.canChangeMethod
      ? nothing
      : html`<button class="button secondary" part="button" type="button" data-action="payment-method"
    @click=${view.requestPaymentMethod}>${i18n.t(sub.renewal === 'manual' ? 'subscriptions.setUpAutomatic' : 'subscriptions.updatePaymentMethod')}</button>`;
  let body: TemplateResult;
  if (sub.renewal === 'manual') {
    const due = sub.nextCharge?.at ?? sub.currentPeriodEnd;
    body = html`
      <p>${i18n.t('subscriptions.renewsManually')}</p>
      ${
        ended || sub.state === 'pending_cancellation'
          ? nothing
          : html`<p class="muted">${
              sub.actions.renew
                ? i18n.t('subscriptions.manualRenewOpen', { date: i18n.date(due) })
                : i18n.t('subscriptions.manualHowTo', {
                    date: i18n.date(due),
                    opens: i18n.date(sub.renewOpensAt ?? due),
                  })
            }</p>`
      }
      <div class="row-actions">
        ${sub.actions.renew ? dialogButton(view, 'renew', i18n.t('subscriptions.renew.action')) : nothing}${update}
      </div>`;
  } else {
    body = html`
      <p>${
        method
          ? html`${methodLabel(method, i18n)}
        ${
          method.expired
            ? html`<span class="flag danger">${i18n.t('subscriptions.expired')}</span>`
            : method.expMonth && method.expYear
              ? html`<span class="muted">· ${i18n.t('subscriptions.expires', {
                  month: String(method.expMonth).padStart(2, '0'),
                  year: method.expYear,
                })}</span>`
              : nothing
        }`
          : html`<span class="muted">${i18n.t('subscriptions.noPaymentMethod')}</span>`
      }</p>
      <div class="row-actions">${update}</div>`;
  }
  return html`
    <section class="card" part="card" aria-labelledby="payment-title">
      <h3 id="payment-title">${i18n.t('subscriptions.paymentMethod')}</h3>
      ${body}
    </section>`;
}

/** The changes that open a dialog: plan or quantity, pause, cancel. */
export function renderManage(view: DetailView): TemplateResult | typeof nothing {
  const { i18n, sub } = view;
  const { change, pause, cancel } = sub.actions;
  if (!change && !pause && !cancel) return nothing;
  return html`
    <section class="card" part="card" aria-labelledby="manage-title">
      <h3 id="manage-title">${i18n.t('subscriptions.manage')}</h3>
      <div class="row-actions">
        ${change ? dialogButton(view, 'change', i18n.t('subscriptions.change.action')) : nothing}
        ${pause ? dialogButton(view, 'pause', i18n.t('subscriptions.pause.action'), 'secondary') : nothing}
        ${cancel ? dialogButton(view, 'cancel', i18n.t('subscriptions.cancel.action'), 'secondary cancel') : nothing}
      </div>
    </section>`;
}
