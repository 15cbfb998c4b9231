import { refusal } from './cards';
import type { FormValue } from './form';
import {
  fakeId,
  nowSeconds,
  publicMethod,
  type FakePaymentIntent,
  type FakePaymentMethod,
  type FakeSetupIntent,
  type FakeState,
  type LastPaymentError,
} from './state';

/** A request as the routes see it: the decoded form (or query), who called, and the path's id. */
export interface FakeRequest {
  params: Record<string, FormValue>;
  id?: string;
  /** Called with the publishable key (Stripe.js), which may only touch intents by their client secret. */
  publishable: boolean;
}

export interface FakeResponse {
  status: number;
  body: unknown;
}

/** Raised by a route: Stripe's error shape. */
export class StripeFail extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
  ) {
    super(String(error.message));
  }
}

const str = (value: FormValue | undefined) => (typeof value === 'string' ? value : undefined);
const obj = (value: FormValue | undefined) =>
  (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, FormValue>;
const metadataOf = (value: FormValue | undefined) =>
  Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, String(v)]));

export const missing = (kind: string, id: string) =>
  new StripeFail(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param: 'id',
  });
const invalid = (message: string, param?: string, code?: string) =>
  new StripeFail(400, { type: 'invalid_request_error', message, ...(param && { param }), ...(code && { code }) });
const cardError = (error: LastPaymentError, extra: Record<string, unknown>) =>
  new StripeFail(402, { ...error, ...extra });

/** The routes of the Stripe API the portal uses, and the fake's own (`/_fake/…`). */
export function createRoutes(state: FakeState, emit: (type: string, object: unknown) => void) {
  const customer = (id: string) =>
    state.customers.get(id) ??
    (() => {
      throw missing('customer', id);
    })();
  const method = (id: string) =>
    state.method(id) ??
    (() => {
      throw missing('payment_method', id);
    })();
  const paymentIntent = (id: string) =>
    state.paymentIntents.get(id) ??
    (() => {
      throw missing('payment_intent', id);
    })();
  const setupIntent = (id: string) =>
    state.setupIntents.get(id) ??
    (() => {
      throw missing('setup_intent', id);
    })();
  const checkSecret = (req: FakeRequest, intent: { id: string; client_secret: string }) => {
    if (req.publishable && str(req.params.client_secret) !== intent.client_secret) {
      throw invalid(
        'The client_secret provided does not match the client_secret associated with this intent.',
        'client_secret',
      );
    }
  };

  /** A method from `payment_method` (an id or shortcut) or `payment_method_data` (a card, as Stripe.js sends it). */
  const methodFrom = (params: Record<string, FormValue>): FakePaymentMethod => {
    const id = str(params.payment_method);
    if (id) return method(id);
    const card = obj(obj(params.payment_method_data).card);
    const number = str(card.number) ?? '';
    const test = state.cardFor(number);
    if (!test)
      throw new StripeFail(402, {
        type: 'card_error',
        code: 'incorrect_number',
        message: 'Your card number is incorrect.',
        param: 'number',
      });
    return state.createMethod(test, Number(str(card.exp_month) ?? 12), Number(str(card.exp_year) ?? 2030));
  };

  const attach = (pm: FakePaymentMethod, customerId: string) => {
    customer(customerId);
    const refused = refusal(pm.behaviour === 'charge_fails' ? 'succeeds' : pm.behaviour);
    if (refused) throw cardError({ type: 'card_error', ...refused }, { payment_method: publicMethod(pm) });
    if (pm.customer && pm.customer !== customerId)
      throw invalid('The payment method is attached to another customer.', 'payment_method');
    pm.customer = customerId;
    emit('payment_method.attached', publicMethod(pm));
  };

  /** Confirms a PaymentIntent with its method, as Stripe decides for the test card. */
  const confirmPayment = (intent: FakePaymentIntent, pm: FakePaymentMethod, authenticated = false) => {
    intent.payment_method = pm.id;
    const needsAuth =
      !authenticated &&
      (pm.behaviour === 'authenticate_always' || (pm.behaviour === 'authenticate_on_setup' && !intent.off_session));
    const refused = refusal(pm.behaviour);
    if (needsAuth && intent.off_session) {
      return fail(intent, {
        type: 'card_error',
        code: 'authentication_required',
        decline_code: 'authentication_required',
        message: 'Your card was declined. This transaction requires authentication.',
      });
    }
    if (needsAuth) {
      Object.assign(intent, {
        status: 'requires_action',
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } },
      });
      emit('payment_intent.requires_action', intent);
      return intent;
    }
    if (refused) return fail(intent, { type: 'card_error', ...refused });
    Object.assign(intent, {
      status: 'succeeded',
      amount_received: intent.amount,
      latest_charge: fakeId('ch'),
      next_action: null,
      last_payment_error: null,
    });
    emit('payment_intent.succeeded', intent);
    return intent;
  };
  const fail = (intent: FakePaymentIntent, error: LastPaymentError): never => {
    Object.assign(intent, { status: 'requires_payment_method', last_payment_error: error, next_action: null });
    emit('payment_intent.payment_failed', intent);
    throw cardError(error, { payment_intent: intent });
  };

  const confirmSetup = (intent: FakeSetupIntent, pm: FakePaymentMethod, authenticated = false) => {
    intent.payment_method = pm.id;
    const refused = refusal(pm.behaviour === 'charge_fails' ? 'succeeds' : pm.behaviour);
    if (refused) {
      Object.assign(intent, {
        status: 'requires_payment_method',
        last_setup_error: { type: 'card_error', ...refused },
      });
      emit('setup_intent.setup_failed', intent);
      throw cardError({ type: 'card_error', ...refused }, { setup_intent: intent });
    }
    if (!authenticated && (pm.behaviour === 'authenticate_on_setup' || pm.behaviour === 'authenticate_always')) {
      Object.assign(intent, {
        status: 'requires_action',
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } },
      });
      return intent;
    }
    if (intent.customer) attach(pm, intent.customer);
    Object.assign(intent, { status: 'succeeded', next_action: null, last_setup_error: null });
    emit('setup_intent.succeeded', intent);
    return intent;
  };

  return {
    'POST /v1/customers': (req: FakeRequest) => {
      const made = {
        id: fakeId('cus'),
        object: 'customer' as const,
        email: str(req.params.email) ?? null,
        name: str(req.params.name) ?? null,
        metadata: metadataOf(req.params.metadata),
        created: nowSeconds(),
        livemode: false as const,
      };
      state.customers.set(made.id, made);
      return made;
    },
    'GET /v1/customers/:id': (req: FakeRequest) =>
      state.deletedCustomers.has(req.id!) ? { id: req.id, object: 'customer', deleted: true } : customer(req.id!),
    'DELETE /v1/customers/:id': (req: FakeRequest) => {
      customer(req.id!);
      state.customers.delete(req.id!);
      state.deletedCustomers.add(req.id!);
      // As Stripe does, the customer's methods go with it.
      for (const pm of state.methods.values()) {
        if (pm.customer === req.id) {
          pm.customer = null;
          emit('payment_method.detached', publicMethod(pm));
        }
      }
      emit('customer.deleted', { id: req.id, object: 'customer', deleted: true });
      return { id: req.id, object: 'customer', deleted: true };
    },

    'POST /v1/payment_methods': (req: FakeRequest) => {
      const card = obj(req.params.card);
      const token = str(card.token);
      const pm = token ? method(token.replace(/^tok_/, 'pm_card_')) : methodFrom({ payment_method_data: { card } });
      return publicMethod(pm);
    },
    'GET /v1/payment_methods/:id': (req: FakeRequest) => publicMethod(method(req.id!)),
    'POST /v1/payment_methods/:id/attach': (req: FakeRequest) => {
      const pm = method(req.id!);
      attach(pm, str(req.params.customer) ?? '');
      return publicMethod(pm);
    },
    'POST /v1/payment_methods/:id/detach': (req: FakeRequest) => {
      const pm = method(req.id!);
      if (!pm.customer) {
        throw invalid(
          'The payment method you provided is not attached to a customer so detachment is impossible.',
          undefined,
          'payment_method_unexpected_state',
        );
      }
      pm.customer = null;
      emit('payment_method.detached', publicMethod(pm));
      return publicMethod(pm);
    },

    'POST /v1/payment_intents': (req: FakeRequest) => {
      const amount = Number(str(req.params.amount));
      if (!Number.isInteger(amount) || amount < 1) throw invalid('Missing required param: amount.', 'amount');
      const customerId = str(req.params.customer) ?? null;
      if (customerId) customer(customerId);
      const intent: FakePaymentIntent = {
        id: fakeId('pi'),
        object: 'payment_intent',
        amount,
        amount_received: 0,
        amount_refunded: 0,
        currency: str(req.params.currency) ?? 'usd',
        customer: customerId,
        payment_method: null,
        status: 'requires_payment_method',
        client_secret: '',
        description: str(req.params.description) ?? null,
        metadata: metadataOf(req.params.metadata),
        last_payment_error: null,
        latest_charge: null,
        next_action: null,
        off_session: str(req.params.off_session) === 'true',
        created: nowSeconds(),
        livemode: false,
      };
      intent.client_secret = `${intent.id}_secret_${fakeId('x').slice(2)}`;
      state.paymentIntents.set(intent.id, intent);
      emit('payment_intent.created', intent);
      if (!str(req.params.payment_method)) return intent;
      const pm = methodFrom(req.params);
      if (pm.customer && pm.customer !== customerId) {
        throw invalid(
          "The provided PaymentMethod belongs to another Customer. Pass that Customer's id.",
          'payment_method',
        );
      }
      intent.payment_method = pm.id;
      intent.status = 'requires_confirmation';
      return str(req.params.confirm) === 'true' ? confirmPayment(intent, pm) : intent;
    },
    'GET /v1/payment_intents/search': (req: FakeRequest) => {
      const query = str(req.params.query) ?? '';
      const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query.trim());
      if (!match) throw invalid(`The fake supports only metadata['key']:'value' queries, not: ${query}`, 'query');
      const value = match[2].replace(/\\(.)/g, '$1');
      const data = [...state.paymentIntents.values()].filter((pi) => pi.metadata[match[1]] === value).reverse();
      return {
        object: 'search_result',
        data: data.slice(0, Number(str(req.params.limit) ?? 10)),
        has_more: false,
        next_page: null,
        url: '/v1/payment_intents/search',
      };
    },
    'GET /v1/payment_intents/:id': (req: FakeRequest) => {
      const intent = paymentIntent(req.id!);
      checkSecret(req, intent);
      return intent;
    },
    'POST /v1/payment_intents/:id/confirm': (req: FakeRequest) => {
      const intent = paymentIntent(req.id!);
      checkSecret(req, intent);
      if (intent.status === 'succeeded')
        throw invalid('This PaymentIntent has already succeeded.', undefined, 'payment_intent_unexpected_state');
      const pm =
        str(req.params.payment_method) || req.params.payment_method_data
          ? methodFrom(req.params)
          : method(intent.payment_method ?? '');
      // Each confirmation says whether the customer is there: without `off_session` they are (as in Stripe).
      intent.off_session = str(req.params.off_session) === 'true';
      return confirmPayment(intent, pm);
    },
    'POST /v1/payment_intents/:id/cancel': (req: FakeRequest) => {
      const intent = paymentIntent(req.id!);
      if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(intent.status)) {
        throw invalid(
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
          undefined,
          'payment_intent_unexpected_state',
        );
      }
      Object.assign(intent, {
        status: 'canceled',
        next_action: null,
        canceled_at: nowSeconds(),
        cancellation_reason: str(req.params.cancellation_reason) ?? null,
      });
      emit('payment_intent.canceled', intent);
      return intent;
    },

    'POST /v1/setup_intents': (req: FakeRequest) => {
      const customerId = str(req.params.customer) ?? null;
      if (customerId) customer(customerId);
      const intent: FakeSetupIntent = {
        id: fakeId('seti'),
        object: 'setup_intent',
        customer: customerId,
        payment_method: null,
        status: 'requires_payment_method',
        client_secret: '',
        usage: str(req.params.usage) ?? 'off_session',
        metadata: metadataOf(req.params.metadata),
        last_setup_error: null,
        next_action: null,
        created: nowSeconds(),
        livemode: false,
      };
      intent.client_secret = `${intent.id}_secret_${fakeId('x').slice(2)}`;
      state.setupIntents.set(intent.id, intent);
      return intent;
    },
    'GET /v1/setup_intents/:id': (req: FakeRequest) => {
      const intent = setupIntent(req.id!);
      checkSecret(req, intent);
      return intent;
    },
    'POST /v1/setup_intents/:id/confirm': (req: FakeRequest) => {
      const intent = setupIntent(req.id!);
      checkSecret(req, intent);
      if (intent.status === 'succeeded')
        throw invalid('This SetupIntent has already succeeded.', undefined, 'setup_intent_unexpected_state');
      return confirmSetup(intent, methodFrom(req.params));
    },

    'POST /v1/refunds': (req: FakeRequest) => {
      const intent = paymentIntent(str(req.params.payment_intent) ?? '');
      if (intent.status !== 'succeeded')
        throw invalid('This PaymentIntent has no successful charge to refund.', 'payment_intent');
      const left = intent.amount - intent.amount_refunded;
      if (left === 0) {
        throw invalid(
          `Charge ${intent.latest_charge} has already been refunded.`,
          undefined,
          'charge_already_refunded',
        );
      }
      const amount = Number(str(req.params.amount) ?? left);
      if (!Number.isInteger(amount) || amount < 1) throw invalid('Invalid positive integer', 'amount');
      if (amount > left) {
        throw invalid(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`,
          'amount',
          'amount_too_large',
        );
      }
      intent.amount_refunded += amount;
      const refund = {
        id: fakeId('re'),
        object: 'refund' as const,
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        charge: intent.latest_charge!,
        status: 'succeeded' as const,
        reason: str(req.params.reason) ?? null,
        metadata: metadataOf(req.params.metadata),
        created: nowSeconds(),
      };
      state.refunds.set(refund.id, refund);
      // As with Stripe's API versions since 2022-11-15, the event's charge does not list its refunds.
      emit('charge.refunded', {
        id: intent.latest_charge,
        object: 'charge',
        amount: intent.amount,
        amount_refunded: intent.amount_refunded,
        currency: intent.currency,
        payment_intent: intent.id,
        refunded: intent.amount_refunded === intent.amount,
      });
      return refund;
    },
    /** Newest first, by PaymentIntent or charge, with Stripe's `limit` / `starting_after` paging. */
    'GET /v1/refunds': (req: FakeRequest) => {
      const paymentIntentId = str(req.params.payment_intent);
      const chargeId = str(req.params.charge);
      const all = [...state.refunds.values()]
        .filter(
          (r) => (!paymentIntentId || r.payment_intent === paymentIntentId) && (!chargeId || r.charge === chargeId),
        )
        .reverse();
      const after = str(req.params.starting_after);
      const from = after ? all.findIndex((r) => r.id === after) + 1 : 0;
      const limit = Math.min(Math.max(Number(str(req.params.limit) ?? 10), 1), 100);
      const data = all.slice(from, from + limit);
      return { object: 'list', data, has_more: from + limit < all.length, url: '/v1/refunds' };
    },
    'GET /v1/refunds/:id': (req: FakeRequest) =>
      state.refunds.get(req.id!) ??
      (() => {
        throw missing('refund', req.id!);
      })(),

    /**
     * The fake's stand-in for the 3-D Secure challenge that Stripe.js shows:
     * `outcome=succeed` completes the intent, `fail` leaves it needing a method.
     */
    'POST /_fake/authenticate/:id': (req: FakeRequest) => {
      const id = req.id!;
      const outcome = str(req.params.outcome) ?? 'succeed';
      if (id.startsWith('seti_')) {
        const intent = setupIntent(id);
        checkSecret(req, intent);
        if (intent.status !== 'requires_action') throw invalid('This SetupIntent does not need authentication.');
        if (outcome !== 'succeed')
          return Object.assign(intent, { status: 'requires_payment_method', next_action: null });
        return confirmSetup(intent, method(intent.payment_method!), true);
      }
      const intent = paymentIntent(id);
      checkSecret(req, intent);
      if (intent.status !== 'requires_action') throw invalid('This PaymentIntent does not need authentication.');
      if (outcome !== 'succeed') {
        return fail(intent, {
          type: 'card_error',
          code: 'payment_intent_authentication_failure',
          message: 'The provided PaymentMethod has failed authentication.',
        });
      }
      return confirmPayment(intent, method(intent.payment_method!), true);
    },
    /** The ledger for benchmarks: every PaymentIntent's charge key (metadata) and status, compactly. */
    'GET /_fake/ledger': () => ({
      data: [...state.paymentIntents.values()].map((pi) => [pi.metadata.portal_charge_key ?? '', pi.status]),
    }),
    /** The card updater: a saved card gets a new expiry (and last 4), with `payment_method.automatically_updated`. */
    'POST /_fake/card-updater/:id': (req: FakeRequest) => {
      const pm = method(req.id!);
      pm.card.exp_month = Number(str(req.params.exp_month) ?? pm.card.exp_month);
      pm.card.exp_year = Number(str(req.params.exp_year) ?? pm.card.exp_year);
      pm.card.last4 = str(req.params.last4) ?? pm.card.last4;
      emit('payment_method.automatically_updated', publicMethod(pm));
      return publicMethod(pm);
    },
  } satisfies Record<string, (req: FakeRequest) => unknown>;
}

/** Publishable-key callers (Stripe.js) may reach only these routes. */
export const publishableRoutes = new Set([
  'POST /v1/payment_methods',
  'GET /v1/payment_intents/:id',
  'POST /v1/payment_intents/:id/confirm',
  'GET /v1/setup_intents/:id',
  'POST /v1/setup_intents/:id/confirm',
  'POST /_fake/authenticate/:id',
]);
