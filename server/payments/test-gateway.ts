import { affected, first } from '../db/query';
import { and, asc, eq, sum } from 'drizzle-orm';
import type { Db } from '../db/client';
import { testGatewayCharges, testGatewayDetachedMethods, testGatewayRefunds } from '../db/schema';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { nextInsertionOrder } from '../lib/insertion-order';
import {
  declineMessages,
  PaymentDeclinedError,
  type ChargeRequest,
  type ChargeResult,
  type DeclineCode,
  type GatewayRefund,
  type MethodDetails,
  type PaymentGateway,
  type RefundFailureCode,
  type RefundRequest,
  type RefundResult,
  type SetupInput,
  type SetupStarted,
} from './gateway';
import type { TestCard } from './test-cards';

/** What a test token carries: made in the browser by the setup page, never holding the card number. */
export interface TestTokenBody {
  v: 1;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  behaviour: TestCard['behaviour'];
  nonce: string;
}

export const TEST_TOKEN_PREFIX = 'tok_test_';

/** Encodes a test token (the setup page does the same in the browser; tests use this). */
export function encodeTestToken(body: Omit<TestTokenBody, 'v' | 'nonce'> & { nonce?: string }): string {
  const full: TestTokenBody = { v: 1, nonce: body.nonce ?? Math.random().toString(36).slice(2), ...body };
  return TEST_TOKEN_PREFIX + Buffer.from(JSON.stringify(full)).toString('base64url');
}

export function decodeTestToken(token: string): TestTokenBody | undefined {
  if (!token.startsWith(TEST_TOKEN_PREFIX)) return undefined;
  try {
    const body = JSON.parse(
      Buffer.from(token.slice(TEST_TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    ) as TestTokenBody;
    const valid =
      body.v === 1 &&
      typeof body.brand === 'string' &&
      /^\d{4}$/.test(body.last4) &&
      Number.isInteger(body.expMonth) &&
      body.expMonth >= 1 &&
      body.expMonth <= 12 &&
      Number.isInteger(body.expYear) &&
      ['succeeds', 'declines_charges', 'insufficient_funds', 'declined_at_setup', 'expired'].includes(body.behaviour);
    return valid ? body : undefined;
  } catch {
    return undefined;
  }
}

const expired = (body: TestTokenBody, now: Date) => now.getTime() >= Date.UTC(body.expYear, body.expMonth, 1);

/**
 * The built-in test gateway, the default outside production: its setup page
 * (`/gateway/test/setup/{setupId}`) tokenises the documented test cards in the
 * browser, and charges follow each card's documented behaviour. It keeps a ledger
 * by idempotency key, as a real processor does, so a retried charge is answered,
 * not repeated, and remembers the methods detached from it, which it then refuses.
 */
export class TestGateway implements PaymentGateway {
  readonly name = 'test';
  readonly isTest = true;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly publicBaseUrl: () => string,
  ) {}

  async createSetup(input: SetupInput): Promise<SetupStarted> {
    const url = new URL(`${this.publicBaseUrl()}/gateway/test/setup/${encodeURIComponent(input.setupId)}`);
    url.searchParams.set('lang', input.language);
    return { url: url.toString() };
  }

  async retrieveMethod(token: string): Promise<MethodDetails> {
    const body = decodeTestToken(token);
    if (!body || (await this.isDetached(token)))
      throw new PaymentDeclinedError('invalid_token', declineMessages.invalid_token);
    if (body.behaviour === 'declined_at_setup')
      throw new PaymentDeclinedError('card_declined', declineMessages.card_declined);
    if (body.behaviour === 'expired' || expired(body, this.clock.now())) {
      throw new PaymentDeclinedError('expired_card', declineMessages.expired_card);
    }
    return { type: 'card', brand: body.brand, last4: body.last4, expMonth: body.expMonth, expYear: body.expYear };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const previous = await this.findCharge(request.idempotencyKey);
    if (previous) return previous;
    const code = await this.declineFor(request.token);
    const row = {
      idempotencyKey: request.idempotencyKey,
      chargeId: newId('chg'),
      token: request.token,
      amount: request.amount,
      currency: request.currency,
      status: code ? ('declined' as const) : ('succeeded' as const),
      declineCode: code,
      createdAt: this.clock.now(),
    };
    // A concurrent call with the same key loses the insert and answers with the winner's result.
    const inserted = await this.db.insert(testGatewayCharges).values(row).onConflictDoNothing();
    if (affected(inserted) === 0) return this.charge(request);
    return toResult(row.status, row.chargeId, code);
  }

  async findCharge(idempotencyKey: string): Promise<ChargeResult | null> {
    const row = first(
      await this.db.select().from(testGatewayCharges).where(eq(testGatewayCharges.idempotencyKey, idempotencyKey)),
    );
    return row ? toResult(row.status, row.chargeId, row.declineCode as DeclineCode | null) : null;
  }

  /** A charge of its ledger by its id; the test gateway never asks for authentication, so every answer is final. */
  async retrieveCharge(chargeId: string): Promise<ChargeResult> {
    const row = first(await this.db.select().from(testGatewayCharges).where(eq(testGatewayCharges.chargeId, chargeId)));
    if (!row) return toResult('declined', chargeId, 'invalid_token');
    return toResult(row.status, row.chargeId, row.declineCode as DeclineCode | null);
  }

  /** Nothing of the test gateway's waits for authentication: the charge's final answer. */
  authenticateCharge(chargeId: string): Promise<ChargeResult> {
    return this.retrieveCharge(chargeId);
  }

  /** Nothing of the test gateway's waits for authentication: the charge's final answer stands. */
  async cancelCharge(chargeId: string): Promise<ChargeResult | null> {
    return this.retrieveCharge(chargeId);
  }

  /** Forgets a method: charging or saving its token is refused (`invalid_token`) from now on. Detaching twice is harmless. */
  async detachMethod(token: string): Promise<void> {
    await this.db
      .insert(testGatewayDetachedMethods)
      .values({ token, detachedAt: this.clock.now() })
      .onConflictDoNothing();
  }

  /** The test gateway keeps no customers: there is nothing of the account to forget. */
  async forgetCustomer(): Promise<void> {}

  private async isDetached(token: string): Promise<boolean> {
    return (
      first(
        await this.db
          .select({ token: testGatewayDetachedMethods.token })
          .from(testGatewayDetachedMethods)
          .where(eq(testGatewayDetachedMethods.token, token)),
      ) !== undefined
    );
  }

  /**
   * Refunds a succeeded charge of its ledger, at most what it has left, keeping one
   * row per idempotency key in `test_gateway_refunds` (refused refunds included, so a
   * retry gets the same refusal).
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    const previous = first(
      await this.db
        .select()
        .from(testGatewayRefunds)
        .where(eq(testGatewayRefunds.idempotencyKey, request.idempotencyKey)),
    );
    if (previous)
      return toRefundResult(previous.status, previous.refundId, previous.failureCode as RefundFailureCode | null);
    return await this.db.transaction(async (tx) => {
      const again = first(
        await tx.select().from(testGatewayRefunds).where(eq(testGatewayRefunds.idempotencyKey, request.idempotencyKey)),
      );
      if (again) return toRefundResult(again.status, again.refundId, again.failureCode as RefundFailureCode | null);
      const charge = first(
        await tx
          .select()
          .from(testGatewayCharges)
          .where(and(eq(testGatewayCharges.chargeId, request.chargeId), eq(testGatewayCharges.status, 'succeeded'))),
      );
      const refunded = Number(
        first(
          await tx
            .select({ total: sum(testGatewayRefunds.amount) })
            .from(testGatewayRefunds)
            .where(and(eq(testGatewayRefunds.chargeId, request.chargeId), eq(testGatewayRefunds.status, 'succeeded'))),
        )?.total ?? 0,
      );
      const code: RefundFailureCode | null = !charge
        ? 'unknown_charge'
        : charge.currency !== request.currency
          ? 'currency_mismatch'
          : request.amount < 1 || refunded + request.amount > charge.amount
            ? 'exceeds_charge'
            : null;
      const row = {
        idempotencyKey: request.idempotencyKey,
        refundId: newId('re'),
        chargeId: request.chargeId,
        amount: request.amount,
        currency: request.currency,
        status: code ? ('failed' as const) : ('succeeded' as const),
        failureCode: code,
        createdAt: this.clock.now(),
        insertionOrder: nextInsertionOrder(),
      };
      await tx.insert(testGatewayRefunds).values(row);
      return toRefundResult(row.status, row.refundId, code);
    });
  }

  /** The ledger's refunds of a charge, oldest first (in the order written), refusals left out. */
  async listRefunds(chargeId: string): Promise<GatewayRefund[]> {
    return (
      await this.db
        .select()
        .from(testGatewayRefunds)
        .where(and(eq(testGatewayRefunds.chargeId, chargeId), eq(testGatewayRefunds.status, 'succeeded')))
        .orderBy(asc(testGatewayRefunds.createdAt), asc(testGatewayRefunds.insertionOrder))
    ).map((row) => ({
      refundId: row.refundId,
      amount: row.amount,
      currency: row.currency,
      status: 'succeeded' as const,
      idempotencyKey: row.idempotencyKey,
    }));
  }

  private async declineFor(token: string): Promise<DeclineCode | null> {
    const body = decodeTestToken(token);
    if (!body || (await this.isDetached(token))) return 'invalid_token';
    if (expired(body, this.clock.now())) return 'expired_card';
    if (body.behaviour === 'declines_charges' || body.behaviour === 'declined_at_setup') return 'card_declined';
    if (body.behaviour === 'insufficient_funds') return 'insufficient_funds';
    return null;
  }
}

const refundFailureMessages: Record<RefundFailureCode, string> = {
  unknown_charge: 'The processor has no such charge.',
  exceeds_charge: 'The refund is more than the charge has left.',
  currency_mismatch: 'The refund is in another currency than the charge.',
  processing_error: 'The refund could not be processed.',
};

function toRefundResult(
  status: 'succeeded' | 'failed',
  refundId: string,
  code: RefundFailureCode | null,
): RefundResult {
  if (status === 'succeeded') return { status, refundId };
  const failure = code ?? 'processing_error';
  return { status, code: failure, message: refundFailureMessages[failure] };
}

function toResult(status: 'succeeded' | 'declined', chargeId: string, code: DeclineCode | null): ChargeResult {
  if (status === 'succeeded') return { status, chargeId };
  const decline = code ?? 'card_declined';
  return { status, code: decline, message: declineMessages[decline] };
}
