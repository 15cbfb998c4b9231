import { ApiError, type PortalApiClient } from '../../internal/api-client';
import type { ChargeSummary, PaymentAction, PortalSubscription } from '../subscriptions/subscription-format';

/**
 * The 202 of a request whose payment the customer's bank holds for their
 * confirmation (3-D Secure): nothing has changed yet.
 */
export interface PaymentActionRequired {
  status: 'requires_action';
  subscription: PortalSubscription;
  paymentAction: PaymentAction;
}

/** `POST …/charges/{id}/confirm` (or `…/authenticate`, completed meanwhile): the payment went through. */
export interface PaymentConfirmed {
  status: 'succeeded';
  subscription: PortalSubscription;
  charge: ChargeSummary;
}

/** Whether an answer says the customer's bank wants them first (the 202 of an action). */
export const needsPaymentAction = (answer: unknown): answer is PaymentActionRequired =>
  typeof answer === 'object' && answer !== null && 'paymentAction' in answer;

/** The part of Stripe.js the portal uses. */
interface StripeJs {
  handleNextAction(options: { clientSecret: string }): Promise<{ error?: { message?: string } }>;
}
type StripeFactory = (publishableKey: string) => StripeJs;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

const scripts = new Map<string, Promise<StripeFactory>>();

/**
 * Loads the processor's script (Stripe.js, from the URL the portal's server
 * names) into the page, once, the first time a payment needs it: the widget's
 * bundle carries none of it. A page that has Stripe.js already keeps its own.
 * After a failure (the network was down) the next call tries again.
 */
export function loadStripeJs(url: string): Promise<StripeFactory> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  let loading = scripts.get(url);
  if (!loading) {
    loading = new Promise<StripeFactory>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.addEventListener('load', () =>
        window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js did not define Stripe().')),
      );
      script.addEventListener('error', () => {
        script.remove();
        reject(new Error(`Stripe.js could not be loaded from ${url}.`));
      });
      document.head.append(script);
    });
    loading.catch(() => scripts.delete(url));
    scripts.set(url, loading);
  }
  return loading;
}

/** What the element showing the challenge does around it: put away anything modal of its own, and bring it back. */
export interface ChallengeHost {
  /** Called before the bank's challenge shows: a modal dialog of ours would make it unusable. */
  hideForChallenge(): Promise<void>;
}

/**
 * Completes a payment the customer's bank holds: loads Stripe.js, shows the
 * bank's challenge (`handleNextAction`), then asks the portal to confirm. The
 * portal checks the payment with the processor itself, so whatever the challenge
 * said — completed, failed, closed — its answer decides: the subscription as it
 * is now, or an {@link ApiError} (402 `payment_declined` when the bank did not
 * confirm; 409 `payment_action_required` when it still waits).
 */
export async function completePaymentAction(
  api: PortalApiClient,
  subscriptionId: string,
  action: PaymentAction,
  host: ChallengeHost,
): Promise<PaymentConfirmed> {
  let stripe: StripeFactory;
  try {
    stripe = await loadStripeJs(action.scriptUrl);
  } catch {
    throw new ApiError(0, 'processor_script_failed', "The bank's confirmation could not be opened.");
  }
  await host.hideForChallenge();
  try {
    await stripe(action.publishableKey).handleNextAction({ clientSecret: action.clientSecret });
  } catch {
    // The script failed midway: the portal's answer below says where the payment stands.
  }
  return api.send<PaymentConfirmed>(
    'POST',
    `/subscriptions/${encodeURIComponent(subscriptionId)}/charges/${encodeURIComponent(action.chargeId)}/confirm`,
  );
}
