import type { AccountRow } from '../../../db/schema';
import { problem, problemSaying } from '../../../lib/errors';
import { GatewayUnavailableError, PaymentDeclinedError, type GatewayAccount } from '../../../payments/gateway';

/** The account as the gateway sees it: who the processor's customer stands for, and the one remembered. */
export function gatewayAccount(account: AccountRow): GatewayAccount {
  const name = [account.firstName, account.lastName].filter(Boolean).join(' ') || account.company || null;
  return {
    storeId: account.storeId,
    accountId: account.id,
    email: account.email,
    name,
    customerId: account.processorCustomerId,
  };
}

/**
 * Calls the gateway about a payment method: a refused one is a 402 with the
 * gateway's code in `details.declineCode` (`error.code` is `payment_declined`); an
 * unreachable gateway is a 503 the caller may retry, not a 500.
 */
export async function askGateway<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PaymentDeclinedError) {
      throw problemSaying('payment_declined', error.message, { declineCode: error.code });
    }
    if (error instanceof GatewayUnavailableError) {
      throw problem('gateway_unavailable');
    }
    throw error;
  }
}
