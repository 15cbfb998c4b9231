/**
 * The test gateway's documented cards. Any expiry in the future and any CVC work,
 * unless the card says otherwise. Shared by the gateway (charging) and its setup
 * page (which tokenises in the browser, so the server never sees a card number).
 */
export interface TestCard {
  number: string;
  brand: string;
  /** What happens: `succeeds`; `declines` (saving works, every charge is declined); refused at setup. */
  behaviour: 'succeeds' | 'declines_charges' | 'insufficient_funds' | 'declined_at_setup' | 'expired';
  description: string;
}

export const testCards: TestCard[] = [
  { number: '4242424242424242', brand: 'visa', behaviour: 'succeeds', description: 'Visa: every charge succeeds.' },
  {
    number: '5555555555554444',
    brand: 'mastercard',
    behaviour: 'succeeds',
    description: 'Mastercard: every charge succeeds.',
  },
  {
    number: '378282246310005',
    brand: 'amex',
    behaviour: 'succeeds',
    description: 'American Express: every charge succeeds.',
  },
  {
    number: '4000000000000341',
    brand: 'visa',
    behaviour: 'declines_charges',
    description: 'Saves, but every charge is declined (card_declined).',
  },
  {
    number: '4000000000009995',
    brand: 'visa',
    behaviour: 'insufficient_funds',
    description: 'Saves, but every charge is declined (insufficient_funds).',
  },
  {
    number: '4000000000000002',
    brand: 'visa',
    behaviour: 'declined_at_setup',
    description: 'Refused when saving (card_declined).',
  },
  {
    number: '4000000000000069',
    brand: 'visa',
    behaviour: 'expired',
    description: 'Refused when saving (expired_card), as is any past expiry date.',
  },
];
