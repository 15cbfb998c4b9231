import { isDeclineCode } from '../../../server/contract';
import type { ApiError } from '../../internal/api-client';
import type { Localizer, MessageKey } from '../../internal/localizer';
import { hasCode, problemText, type ProblemOverrides } from '../../internal/problem-text';

/** What the gateway's setup page posts to its parent window. */
export type SetupPageMessage =
  | { type: 'ap-payment-method'; setupId: string; token: string; brand: string; last4: string }
  | { type: 'ap-payment-method-cancel'; setupId: string }
  | { type: 'ap-payment-method-resize'; setupId: string; height: number };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The message as the setup page sends it, or null for anything else (other frames, extensions, malformed data). */
export function parseSetupMessage(data: unknown): SetupPageMessage | null {
  if (!isRecord(data) || typeof data.setupId !== 'string') return null;
  const setupId = data.setupId;
  switch (data.type) {
    case 'ap-payment-method':
      return typeof data.token === 'string' && data.token
        ? {
            type: data.type,
            setupId,
            token: data.token,
            brand: String(data.brand ?? ''),
            last4: String(data.last4 ?? ''),
          }
        : null;
    case 'ap-payment-method-cancel':
      return { type: data.type, setupId };
    case 'ap-payment-method-resize':
      return typeof data.height === 'number' && Number.isFinite(data.height)
        ? { type: data.type, setupId, height: data.height }
        : null;
    default:
      return null;
  }
}

/** Why the card was refused, in the customer's language (a 402 `payment_declined` with `details.declineCode`). */
export function declineMessage(error: ApiError, i18n: Localizer): string {
  const code = isRecord(error.details) ? error.details.declineCode : undefined;
  const key: MessageKey = isDeclineCode(code)
    ? `paymentMethods.setup.declined.${code}`
    : 'paymentMethods.setup.declined.generic';
  return i18n.t(key);
}

/** What a failure to save the card means here, where the portal-wide message says less. */
const saveProblems: ProblemOverrides = {
  payment_declined: declineMessage,
  gateway_unavailable: 'paymentMethods.setup.unavailable',
  rate_limited: 'paymentMethods.setup.tooMany',
};

/** Why the card could not be saved. */
export const saveFailureMessage = (error: unknown, i18n: Localizer): string => problemText(error, i18n, saveProblems);

/** Why the card form could not be opened. */
export function startFailureMessage(error: unknown, i18n: Localizer): string {
  if (hasCode(error, 'network_error')) return i18n.t('errors.network_error');
  if (hasCode(error, 'rate_limited')) return i18n.t('paymentMethods.setup.tooMany');
  return i18n.t('paymentMethods.setup.failed');
}
