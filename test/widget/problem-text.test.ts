import { expect } from '@open-wc/testing';
import { declineCodes, errorCodes, errors } from '../../server/contract';
import de from '../../widget/locales/de.json' with { type: 'json' };
import en from '../../widget/locales/en.json' with { type: 'json' };
import { ApiError } from '../../widget/internal/api-client';
import { Localizer } from '../../widget/internal/localizer';
import { hasCode, problemMessages, problemText } from '../../widget/internal/problem-text';

/** Every message key of a locale, `a.b.c`, plural forms included. */
const keysOf = (messages: object, prefix = ''): string[] =>
  Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value as object, `${prefix}${key}.`),
  );

/** What the server sends with some codes, so that the messages built from details are exercised. */
const detailsFor: Record<string, unknown> = {
  payment_declined: { declineCode: 'insufficient_funds' },
  pause_too_long: { maxPeriods: 3 },
  resume_date_too_early: { pauseStartsAt: '2026-03-01T00:00:00.000Z' },
  renewal_not_open: { opensAt: '2026-03-01T00:00:00.000Z' },
};

const failure = (code: string) =>
  new ApiError(
    clientCodes.includes(code) ? 0 : ((errors as Record<string, { status: number }>)[code]?.status ?? 500),
    code,
    "The server's English message.",
    detailsFor[code],
  );

/** The codes the widget gives failures itself (no answer; the processor's script or card form did not load; no clipboard). */
const clientCodes = ['network_error', 'processor_script_failed', 'card_frame_failed', 'clipboard_unavailable'];

describe('problemText', () => {
  it("has a message for every code of the contract, and for the widget's own codes", () => {
    expect(Object.keys(problemMessages).sort()).to.deep.equal([...errorCodes, ...clientCodes].sort());
  });

  for (const language of ['en', 'de'] as const) {
    it(`reads every code in plain words in ${language === 'en' ? 'English' : 'German'}, never a key or the server's English`, async () => {
      const i18n = new Localizer('/widget/i18n');
      await i18n.use(language);
      expect(i18n.language).to.equal(language);
      for (const code of [...errorCodes, ...clientCodes]) {
        const text = problemText(failure(code), i18n);
        expect(text, code).to.match(/^\S.*[.!?]$/);
        expect(text, code).not.to.match(/^[a-zA-Z]+(\.[a-zA-Z_]+)+$/);
        expect(text, code).not.to.equal("The server's English message.");
      }
    });
  }

  it("uses the error's details where the message needs them", async () => {
    const i18n = new Localizer('/widget/i18n');
    expect(problemText(failure('pause_too_long'), i18n)).to.equal('A pause can last at most 3 billing periods.');
    expect(problemText(failure('payment_declined'), i18n)).to.equal(
      'Your card has insufficient funds. Nothing was changed.',
    );
    expect(problemText(failure('renewal_not_open'), i18n)).to.include('You can renew from');
  });

  it('says why a card was declined for every decline code of the contract', () => {
    const i18n = new Localizer('/widget/i18n');
    const texts = declineCodes.map((declineCode) =>
      problemText(new ApiError(402, 'payment_declined', 'Declined.', { declineCode }), i18n),
    );
    expect(new Set(texts).size).to.equal(declineCodes.length);
    expect(texts).not.to.include(en.subscriptions.declines.other);
  });

  it("takes a screen's own message over the portal-wide one", () => {
    const i18n = new Localizer('/widget/i18n');
    const error = failure('rate_limited');
    expect(problemText(error, i18n)).to.equal('Too many attempts. Please wait a moment and try again.');
    expect(problemText(error, i18n, { rate_limited: 'paymentMethods.setup.tooMany' })).to.equal(
      'Too many attempts to add a card. Please try again in an hour.',
    );
  });

  it("reads the server's gateway_unavailable as the payment provider being unreachable", () => {
    const i18n = new Localizer('/widget/i18n');
    expect(problemText(failure('gateway_unavailable'), i18n)).to.equal(en.subscriptions.errors.gateway);
  });

  it('hasCode() tells an API error by its codes', () => {
    expect(hasCode(failure('quote_used'), 'quote_expired', 'quote_used')).to.equal(true);
    expect(hasCode(failure('quote_stale'), 'quote_expired', 'quote_used')).to.equal(false);
    expect(hasCode(new Error('quote_used'), 'quote_used')).to.equal(false);
  });

  it('says "Something went wrong" for a code outside the contract and for failures that are no API errors', () => {
    const i18n = new Localizer('/widget/i18n');
    expect(problemText(failure('payment_unavailable'), i18n)).to.equal(en.errors.generic);
    expect(problemText(new TypeError('boom'), i18n)).to.equal(en.errors.generic);
  });
});

describe('locales', () => {
  it('de.json has every message of en.json, and nothing else', () => {
    const english = keysOf(en);
    const german = keysOf(de);
    expect(
      english.filter((key) => !german.includes(key)),
      'missing in de.json',
    ).to.deep.equal([]);
    expect(
      german.filter((key) => !english.includes(key)),
      'only in de.json',
    ).to.deep.equal([]);
  });

  it('keeps the placeholders of every English message in German', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map(([, name]) => name).sort();
    const lookup = (messages: object, key: string) =>
      key.split('.').reduce<any>((node, part) => node?.[part], messages) as string;
    for (const key of keysOf(en)) {
      expect(placeholders(lookup(de, key)), key).to.deep.equal(placeholders(lookup(en, key)));
    }
  });
});
