import { accountFieldMax as max } from '../../../server/contract';
import type { ApiError } from '../../internal/api-client';
import type { Localizer, MessageKey } from '../../internal/localizer';
import type { PortalAccountView } from '../../internal/types';

/** The contact section as typed: every value a string, `''` meaning "not given". */
export interface ContactDraft {
  firstName: string;
  lastName: string;
  phone: string;
  company: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  language: string;
}

/** The billing section as typed. */
export interface BillingDraft {
  country: string;
  state: string;
  postalCode: string;
  businessName: string;
  taxId: string;
  isBusiness: boolean;
}

export type Section = 'contact' | 'billing';

/** A text input of a section: its label, the server's name for it, its limit and autofill token. */
export interface TextFieldSpec<K extends string = string> {
  key: K;
  label: MessageKey;
  /** The field's path in the Portal API's request and in its 422 details (`address.city`). */
  field: string;
  /** The server's length limit (also the input's `maxlength`). */
  max: number;
  autocomplete?: string;
  type?: 'text' | 'tel';
  /** Spans both columns on wide layouts. */
  wide?: boolean;
  /** Names and places: no spell-checking, capitalised words on phones. */
  words?: boolean;
}

type TextKey<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D] & string;

const spec =
  <D>() =>
  <K extends TextKey<D>>(fields: Record<K, Omit<TextFieldSpec<K>, 'key'>>) =>
    Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, { key, ...(value as object) }])) as {
      [P in K]: TextFieldSpec<P>;
    };

/** The contact section's text inputs, with the contract's limits. */
export const contactFields = spec<ContactDraft>()({
  firstName: {
    label: 'account.firstName',
    field: 'firstName',
    max: max.firstName,
    autocomplete: 'given-name',
    words: true,
  },
  lastName: {
    label: 'account.lastName',
    field: 'lastName',
    max: max.lastName,
    autocomplete: 'family-name',
    words: true,
  },
  phone: { label: 'account.phone', field: 'phone', max: max.phone, autocomplete: 'tel', type: 'tel' },
  company: { label: 'account.company', field: 'company', max: max.company, autocomplete: 'organization', words: true },
  line1: {
    label: 'account.line1',
    field: 'address.line1',
    max: max.line1,
    autocomplete: 'address-line1',
    wide: true,
    words: true,
  },
  line2: {
    label: 'account.line2',
    field: 'address.line2',
    max: max.line2,
    autocomplete: 'address-line2',
    wide: true,
    words: true,
  },
  city: { label: 'account.city', field: 'address.city', max: max.city, autocomplete: 'address-level2', words: true },
  region: {
    label: 'account.region',
    field: 'address.region',
    max: max.region,
    autocomplete: 'address-level1',
    words: true,
  },
  postalCode: {
    label: 'account.postalCode',
    field: 'address.postalCode',
    max: max.postalCode,
    autocomplete: 'postal-code',
  },
});

/** The billing section's text inputs, with the contract's limits. */
export const billingFields = spec<BillingDraft>()({
  state: {
    label: 'account.state',
    field: 'state',
    max: max.state,
    autocomplete: 'billing address-level1',
    words: true,
  },
  postalCode: {
    label: 'account.postalCode',
    field: 'postalCode',
    max: max.postalCode,
    autocomplete: 'billing postal-code',
  },
  businessName: {
    label: 'account.businessName',
    field: 'businessName',
    max: max.businessName,
    autocomplete: 'billing organization',
    words: true,
  },
  taxId: { label: 'account.taxId', field: 'taxId', max: max.taxId },
});

export function contactDraftOf(account: PortalAccountView | null): ContactDraft {
  const address = account?.address;
  return {
    firstName: account?.firstName ?? '',
    lastName: account?.lastName ?? '',
    phone: account?.phone ?? '',
    company: account?.company ?? '',
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    region: address?.region ?? '',
    postalCode: address?.postalCode ?? '',
    country: account?.country ?? '',
    language: account?.language ?? '',
  };
}

export function billingDraftOf(account: PortalAccountView | null): BillingDraft {
  const billing = account?.billingDetails;
  return {
    country: billing?.country ?? '',
    state: billing?.state ?? '',
    postalCode: billing?.postalCode ?? '',
    businessName: billing?.businessName ?? '',
    taxId: billing?.taxId ?? '',
    isBusiness: billing?.isBusiness ?? false,
  };
}

/**
 * The `PATCH /me` body: the whole section, so what the customer sees is what is
 * stored. Empty text clears a field on the server; an empty choice is sent as null.
 */
export function contactBody(draft: ContactDraft) {
  const { line1, line2, city, region, postalCode, country, language, ...names } = draft;
  return {
    ...names,
    address: { line1, line2, city, region, postalCode },
    country: country || null,
    language: language || null,
  };
}

/** The `PUT /me/billing-details` body (a full replace). */
export function billingBody(draft: BillingDraft) {
  return { ...draft, country: draft.country || null };
}

/** One entry of a 422's `details`. */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

/** The field problems of a `validation_failed` answer (an empty list for any other error). */
export function issuesOf(error: ApiError): FieldIssue[] {
  if (error.status !== 422 || !Array.isArray(error.details)) return [];
  return (error.details as unknown[])
    .filter(
      (item): item is FieldIssue =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as FieldIssue).field === 'string' &&
        typeof (item as FieldIssue).message === 'string',
    )
    .map((item) => ({ field: item.field, code: String(item.code ?? ''), message: item.message }));
}

/** The draft key a server field path belongs to in a section, if the section shows that field. */
export function keyOfField(section: Section, field: string): string | undefined {
  if (field === 'country' || field === 'language' || field === 'isBusiness') {
    return section === 'billing' && field === 'language' ? undefined : field;
  }
  const fields: Record<string, TextFieldSpec> = section === 'contact' ? contactFields : billingFields;
  return Object.values(fields).find((f) => f.field === field)?.key;
}

/**
 * A field problem in the customer's language. The server's codes and the field say
 * what went wrong; its English message is kept only for problems the widget does
 * not know yet, rather than hiding them.
 */
export function issueMessage(i18n: Localizer, issue: FieldIssue, max?: number): string {
  const field = issue.field.split('.').at(-1);
  if (issue.code === 'too_big' && max) return i18n.t('account.errors.tooLong', { count: max });
  if (field === 'phone' && issue.code === 'invalid_format') return i18n.t('account.errors.phone');
  if (field === 'taxId' && issue.code === 'invalid_format') return i18n.t('account.errors.taxId');
  if (field === 'businessName' && issue.code === 'custom') return i18n.t('account.errors.businessNameRequired');
  if (field === 'postalCode' && (issue.code === 'custom' || issue.code === 'invalid_postal_code')) {
    const example = /should look like (.+?)\.?$/.exec(issue.message)?.[1];
    return example ? i18n.t('account.errors.postalCodeExample', { example }) : i18n.t('account.errors.postalCode');
  }
  if (field === 'country' && issue.code === 'custom') return i18n.t('account.errors.country');
  if (field === 'language' && issue.code === 'custom') return i18n.t('account.errors.language');
  return issue.message;
}
