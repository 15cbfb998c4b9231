import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { html, nothing, svg, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { portalContext, type PortalServices } from '../../context/portal-context';
import { ApiError } from '../../internal/api-client';
import type { MessageKey } from '../../internal/localizer';
import { PortalElement } from '../../internal/portal-element';
import { problemText } from '../../internal/problem-text';
import type { PortalAccountView } from '../../internal/types';
import { componentStyles } from '../../styles/component.styles';
import { checkboxField, selectField, textField, warningIcon, type FieldScope } from './account-form.fields';
import {
  billingBody,
  billingDraftOf,
  billingFields,
  contactBody,
  contactDraftOf,
  contactFields,
  issueMessage,
  issuesOf,
  keyOfField,
  type BillingDraft,
  type ContactDraft,
  type FieldIssue,
  type Section,
} from './account-form.model';
import { styles } from './account-form.styles';
import { languageChoices } from '../../internal/localizer';
import { countryChoices } from './countries';

/** Where one section stands: edited, saving, saved, or what the server found wrong. */
interface SectionStatus {
  dirty: boolean;
  busy: boolean;
  saved: boolean;
  /** Field problems by draft key. */
  issues: Record<string, FieldIssue>;
  /** Problems with fields the section does not show. */
  otherIssues: FieldIssue[];
  /** `fields` for a 422 with field problems, else the failed request's error. */
  failure: 'fields' | { error: unknown } | null;
}

/** The password card's parts, under the same names as this element's own. */
const passwordParts = 'card, field, label, input, checkbox, hint, error, button, status, summary';

const idle: SectionStatus = { dirty: false, busy: false, saved: false, issues: {}, otherIssues: [], failure: null };

const checkIcon = svg`<path d="M3 8.5 6.5 12 13 4.5" fill="none" stroke="currentColor" stroke-width="2"
  stroke-linecap="round" stroke-linejoin="round"/>`;

/**
 * The Account tab: the customer's contact details and billing details, each in its
 * own card with its own Save button, (when the store offers password sign-in) the
 * password card, `<ap-password-settings>`, and the "Your data" card (`<ap-data-export>`). The server validates; its field problems are
 * shown next to the fields, and focus moves to the first one. The email address is
 * shown but only the store can change it. Saving fires `ap-account-updated` on
 * `<account-portal>`, and a new language re-localises the whole portal.
 *
 * @summary Contact and billing details of the signed-in customer.
 *
 * @csspart card - Each section's card (contact details, billing details, password).
 * @csspart field - The wrapper of one label, control, hint and error.
 * @csspart label - A field's label.
 * @csspart input - Text inputs and selects.
 * @csspart checkbox - The "I am buying as a business" checkbox.
 * @csspart hint - Help text under a field.
 * @csspart error - A field's error message.
 * @csspart business - The group of business fields, emphasised while "buying as a business" is checked.
 * @csspart button - The Save buttons.
 * @csspart status - The "saved" confirmation next to a Save button.
 * @csspart summary - The "please correct the highlighted fields" message next to a Save button.
 *
 * @cssproperty --ap-account-form-gap - Space between the cards (contact, billing, your data). Defaults to `--ap-space-l`.
 * @cssproperty --ap-account-form-field-gap - Space between fields. Defaults to `--ap-space-m`.
 * @cssproperty --ap-account-form-hint-color - Hints, the billing intro and the read-only email. Defaults to `--ap-color-muted`.
 * @cssproperty --ap-account-form-readonly-background - Background of the read-only email field. Defaults to `--ap-color-surface`.
 * @cssproperty --ap-account-form-emphasis-color - Accent of the business fields while "buying as a business" is checked. Defaults to `--ap-color-primary`.
 */
export class ApAccountForm extends PortalElement {
  static override styles = [componentStyles, styles];

  @consume({ context: portalContext, subscribe: true }) private services?: PortalServices;

  @state() private account: PortalAccountView | null = null;
  @state() private contact: ContactDraft = contactDraftOf(null);
  @state() private billing: BillingDraft = billingDraftOf(null);
  @state() private status: Record<Section, SectionStatus> = { contact: idle, billing: idle };

  private focusSection: Section | null = null;

  /** Fetches the account afresh; until it answers, the session's copy fills the form, so nothing jumps. */
  private readonly refresh = new Task(this, {
    task: ([api], { signal }) => (api ? api.get<PortalAccountView>('/me', signal) : Promise.resolve(null)),
    args: () => [this.services?.api, this.services?.revision] as const,
    onComplete: (account) => {
      if (account) this.adopt(account);
    },
    onError: (error) => {
      // The portal handles an ended session itself; other failures keep the session's copy.
      if (error instanceof ApiError && error.status !== 401) this.services?.reportError(error);
    },
  });

  protected override willUpdate(): void {
    const stored = this.services?.session.account;
    if (!this.account && stored) this.adopt(stored);
  }

  protected override updated(): void {
    if (!this.focusSection) return;
    const section = this.focusSection;
    this.focusSection = null;
    this.renderRoot.querySelector<HTMLElement>(`#${section}-form [aria-invalid="true"]`)?.focus();
  }

  /** Shows `account`, keeping whatever the customer is still editing. */
  private adopt(account: PortalAccountView): void {
    this.account = account;
    if (!this.status.contact.dirty && !this.status.contact.busy) this.contact = contactDraftOf(account);
    if (!this.status.billing.dirty && !this.status.billing.busy) this.billing = billingDraftOf(account);
  }

  private setStatus(section: Section, changes: Partial<SectionStatus>): void {
    this.status = { ...this.status, [section]: { ...this.status[section], ...changes } };
  }

  private editContact<K extends keyof ContactDraft>(key: K, value: ContactDraft[K]): void {
    this.contact = { ...this.contact, [key]: value };
    this.setStatus('contact', { dirty: true, saved: false });
  }

  private editBilling<K extends keyof BillingDraft>(key: K, value: BillingDraft[K]): void {
    this.billing = { ...this.billing, [key]: value };
    this.setStatus('billing', { dirty: true, saved: false });
  }

  /** Sends one section; on success the portal learns of the new account, on a 422 the fields show why not. */
  private async save(section: Section, event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const services = this.services;
    if (!services || !this.account || this.status[section].busy) return;
    this.setStatus(section, { busy: true, saved: false, issues: {}, otherIssues: [], failure: null });
    try {
      const account =
        section === 'contact'
          ? await services.api.send<PortalAccountView>('PATCH', '/me', contactBody(this.contact))
          : await services.api.send<PortalAccountView>('PUT', '/me/billing-details', billingBody(this.billing));
      this.setStatus(section, { busy: false, dirty: false, saved: true });
      this.adopt(account);
      services.accountUpdated(account);
    } catch (error) {
      this.setStatus(section, { busy: false, ...this.failureOf(section, error) });
      if (!(error instanceof ApiError && (error.status === 422 || error.status === 401)))
        services.reportError(error, 'update-account');
    }
  }

  private failureOf(section: Section, error: unknown): Partial<SectionStatus> {
    const issues = error instanceof ApiError ? issuesOf(error) : [];
    if (!issues.length) return { failure: { error } };
    const placed: Record<string, FieldIssue> = {};
    const otherIssues: FieldIssue[] = [];
    for (const issue of issues) {
      const key = keyOfField(section, issue.field);
      if (key === undefined) otherIssues.push(issue);
      else placed[key] ??= issue;
    }
    if (Object.keys(placed).length) this.focusSection = section;
    return { failure: 'fields', issues: placed, otherIssues };
  }

  private scope(section: Section): FieldScope {
    const i18n = this.services!.i18n;
    const issues = this.status[section].issues;
    const limits: Record<string, { max: number }> = section === 'contact' ? contactFields : billingFields;
    return {
      i18n,
      section,
      disabled: !this.account,
      readonly: this.readOnly,
      errorOf: (key) => (issues[key] ? issueMessage(i18n, issues[key], limits[key]?.max) : undefined),
    };
  }

  /** The session may not change the account (a merchant's limits): the details are shown without Save buttons. */
  private get readOnly(): boolean {
    return !this.services!.session.may('account:write');
  }

  private t(key: MessageKey, options?: Record<string, unknown>): string {
    return this.services!.i18n.t(key, options);
  }

  /** The Save button with the section's outcome beside it: a polite "saved", or an alert on failure. */
  private renderActions(section: Section): TemplateResult | typeof nothing {
    if (this.readOnly) return nothing;
    const { busy, saved, failure, otherIssues } = this.status[section];
    const problem =
      failure === 'fields'
        ? this.t('account.fixErrors')
        : failure
          ? problemText(failure.error, this.services!.i18n)
          : '';
    return html`
      <div class="actions">
        <button id="${section}-save" class="button" part="button" type="submit" aria-disabled=${busy ? 'true' : 'false'}>
          ${busy ? this.t('account.saving') : this.t('account.save')}</button>
        <p class="status" part="status" role="status">${
          saved
            ? html`
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${checkIcon}</svg>
          <span>${this.t(section === 'contact' ? 'account.contactSaved' : 'account.billingSaved')}</span>`
            : nothing
        }</p>
        <div class="summary" part="summary" role="alert">${
          problem
            ? html`
          <p><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${warningIcon}</svg><span>${problem}</span></p>
          ${otherIssues.length ? html`<ul>${otherIssues.map((issue) => html`<li>${issue.message}</li>`)}</ul>` : nothing}`
            : nothing
        }</div>
      </div>`;
  }

  private renderContact(): TemplateResult {
    const scope = this.scope('contact');
    const draft = this.contact;
    const text = (key: keyof typeof contactFields) =>
      textField(scope, contactFields[key], draft[key], (value) => this.editContact(key, value));
    const language = this.services!.i18n.language;
    return html`
      <section class="card" part="card" aria-labelledby="contact-title">
        <h2 id="contact-title">${this.t('account.contact')}</h2>
        <form id="contact-form" novalidate aria-busy=${this.account ? 'false' : 'true'}
          @submit=${(e: SubmitEvent) => this.save('contact', e)}>
          <div class="fields">
            <div class="field wide" part="field">
              <label for="contact-email" part="label">${this.t('account.email')}</label>
              <input id="contact-email" class="readonly" part="input" type="email" dir="ltr" readonly autocomplete="email"
                aria-describedby="contact-email-hint" .value=${this.account?.email ?? ''}>
              <p id="contact-email-hint" class="hint" part="hint">${this.t('account.emailHint')}</p>
            </div>
            ${text('firstName')} ${text('lastName')} ${text('phone')} ${text('company')}
            ${text('line1')} ${text('line2')} ${text('city')} ${text('region')} ${text('postalCode')}
            ${selectField(
              scope,
              {
                key: 'country',
                label: 'account.country',
                autocomplete: 'country',
                empty: this.t('account.noCountry'),
                choices: countryChoices(language),
              },
              draft.country,
              (value) => this.editContact('country', value),
            )}
            ${selectField(
              scope,
              {
                key: 'language',
                label: 'account.language',
                empty: this.t('account.languageDefault'),
                choices: languageChoices(draft.language),
              },
              draft.language,
              (value) => this.editContact('language', value),
              { hint: this.t('account.languageHint') },
            )}
          </div>
          ${this.renderActions('contact')}
        </form>
      </section>`;
  }

  private renderBilling(): TemplateResult {
    const scope = this.scope('billing');
    const draft = this.billing;
    const edit = (key: 'country' | keyof typeof billingFields) => (value: string) => this.editBilling(key, value);
    return html`
      <section class="card" part="card" aria-labelledby="billing-title">
        <h2 id="billing-title">${this.t('account.billing')}</h2>
        <p class="intro">${this.t('account.billingIntro')}</p>
        <form id="billing-form" novalidate aria-busy=${this.account ? 'false' : 'true'}
          @submit=${(e: SubmitEvent) => this.save('billing', e)}>
          <div class="fields">
            ${selectField(
              scope,
              {
                key: 'country',
                label: 'account.country',
                autocomplete: 'billing country',
                empty: this.t('account.noCountry'),
                choices: countryChoices(this.services!.i18n.language),
              },
              draft.country,
              edit('country'),
            )}
            ${textField(scope, billingFields.state, draft.state, edit('state'))}
            ${textField(scope, billingFields.postalCode, draft.postalCode, edit('postalCode'))}
            <div class="business wide ${draft.isBusiness ? 'active' : ''}" part="business">
              ${checkboxField(scope, 'isBusiness', 'account.isBusiness', draft.isBusiness, (checked) =>
                this.editBilling('isBusiness', checked),
              )}
              ${textField(scope, billingFields.businessName, draft.businessName, edit('businessName'), {
                required: draft.isBusiness,
              })}
              ${textField(scope, billingFields.taxId, draft.taxId, edit('taxId'), { hint: this.t('account.taxIdHint') })}
            </div>
          </div>
          ${this.renderActions('billing')}
        </form>
      </section>`;
  }

  override render() {
    if (!this.services) return nothing;
    return html`<div class="sections ${this.readOnly ? 'read-only' : ''}">
      ${this.readOnly ? html`<p class="card read-only" part="card">${this.t('account.readOnly')}</p>` : nothing}
      ${this.renderContact()}${this.renderBilling()}
      ${this.readOnly ? nothing : html`<ap-password-settings exportparts=${passwordParts}></ap-password-settings>`}
      <ap-data-export exportparts="card, button, status, error"></ap-data-export>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ap-account-form': ApAccountForm;
  }
}
