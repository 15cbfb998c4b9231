/**
 * The test cards the fake knows, after Stripe's documented ones
 * (https://docs.stripe.com/testing): the card number, the `pm_card_…` shortcut
 * Stripe's test mode accepts in place of a PaymentMethod id, and how it behaves.
 */
export type CardBehaviour =
  /** Saves, and every charge succeeds. */
  | 'succeeds'
  /** Saves, but every charge is declined (`card_declined`). */
  | 'charge_fails'
  /** Refused when saved or charged (`card_declined`, `generic_decline`). */
  | 'declined'
  /** Refused (`card_declined`, `insufficient_funds`). */
  | 'insufficient_funds'
  /** Refused (`expired_card`). */
  | 'expired'
  /** 3-D Secure when saved and for payments with the customer present; off-session charges after setup succeed. */
  | 'authenticate_on_setup'
  /** 3-D Secure for every payment, off-session ones included (they fail with `authentication_required`). */
  | 'authenticate_always';

export interface TestCard {
  number: string;
  shortcut: string;
  brand: string;
  behaviour: CardBehaviour;
}

export const testCards: TestCard[] = [
  { number: '4242424242424242', shortcut: 'pm_card_visa', brand: 'visa', behaviour: 'succeeds' },
  { number: '5555555555554444', shortcut: 'pm_card_mastercard', brand: 'mastercard', behaviour: 'succeeds' },
  { number: '378282246310005', shortcut: 'pm_card_amex', brand: 'amex', behaviour: 'succeeds' },
  { number: '4000000000000341', shortcut: 'pm_card_chargeCustomerFail', brand: 'visa', behaviour: 'charge_fails' },
  { number: '4000000000000002', shortcut: 'pm_card_chargeDeclined', brand: 'visa', behaviour: 'declined' },
  {
    number: '4000000000009995',
    shortcut: 'pm_card_chargeDeclinedInsufficientFunds',
    brand: 'visa',
    behaviour: 'insufficient_funds',
  },
  { number: '4000000000000069', shortcut: 'pm_card_chargeDeclinedExpiredCard', brand: 'visa', behaviour: 'expired' },
  {
    number: '4000002500003155',
    shortcut: 'pm_card_authenticationRequiredOnSetup',
    brand: 'visa',
    behaviour: 'authenticate_on_setup',
  },
  {
    number: '4000002760003184',
    shortcut: 'pm_card_authenticationRequired',
    brand: 'visa',
    behaviour: 'authenticate_always',
  },
];

export const cardByNumber = (number: string) => testCards.find((card) => card.number === number.replace(/\s+/g, ''));
export const cardByShortcut = (id: string) => testCards.find((card) => card.shortcut === id);

/** Stripe's error for a refusal, as its `error` object. */
export function refusal(behaviour: CardBehaviour): { code: string; decline_code?: string; message: string } | null {
  switch (behaviour) {
    case 'declined':
    case 'charge_fails':
      return { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
    case 'insufficient_funds':
      return {
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      };
    case 'expired':
      return { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' };
    default:
      return null;
  }
}
