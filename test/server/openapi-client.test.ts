import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { createTestContext, json } from '../helpers/app';

/**
 * A merchant's client, written against the types openapi-typescript generates from
 * the two documents with its default options: `operations` (keyed by operationId),
 * `paths` and `components`. `call` stands for a thin fetch wrapper such as
 * openapi-fetch; only its types matter here, the script is type-checked, not run.
 */
const CLIENT = `
import type { components as Api, operations, paths } from './server-api';
import type { components as PortalApi, operations as portal } from './portal-api';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Body<O> = O extends { requestBody: infer R } ? Json<R> : never;
type Answer<O, S> = O extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;
type Rest<B> = [B] extends [never] ? [] : [body: B];

export declare function call<Id extends keyof operations>(
  operationId: Id,
  params: operations[Id]['parameters'],
  ...body: Rest<Body<operations[Id]>>
): Promise<{ data?: Answer<operations[Id], 200 | 201>; error?: Api['schemas']['Error'] }>;

export declare function callPortal<Id extends keyof portal>(
  operationId: Id,
  params: portal[Id]['parameters'],
  ...body: Rest<Body<portal[Id]>>
): Promise<{ data?: Answer<portal[Id], 200 | 201>; error?: PortalApi['schemas']['Error'] }>;

export type OrderInput = Body<operations['createOrder']>;
export type ErrorCode = Api['schemas']['ErrorCode'];
export type { paths };
`;

const MERCHANT = `
import { call, callPortal, type ErrorCode, type OrderInput, type paths } from './client';

/** What the merchant tells the customer when the portal refuses something. */
function explain(code: ErrorCode): string {
  switch (code) {
    case 'order_exists':
      return 'Already recorded.';
    case 'invalid_json':
    case 'invalid_cursor':
    case 'validation_failed':
      return 'Our request was wrong.';
    default:
      return code;
  }
}

export async function recordSale(accountId: string): Promise<string[]> {
  // Only what the shop knows: discount, tax, fulfilments and savePaymentMethod have defaults.
  const order: OrderInput = {
    customer: { email: 'ada@example.com', firstName: 'Ada' },
    currency: 'EUR',
    items: [
      { product: 'photo-toolkit', displayName: 'Photo Toolkit', quantity: 1, unitPrice: 4900 },
      {
        product: 'font-pack',
        displayName: 'Font Pack',
        quantity: 2,
        unitPrice: 1500,
        fulfilments: [{ type: 'license_key', licenseKey: 'FP-1234' }],
      },
    ],
    paymentMethod: { token: 'tok_visa' },
  };
  const created = await call('createOrder', { header: { 'idempotency-key': 'order-10042' } }, order);
  if (created.error) return [explain(created.error.error.code)];
  const orderId: string = created.data!.id;

  await call('attachPaymentMethod', { path: { accountId } }, { token: 'pm_card_visa', brand: 'visa', last4: '4242' });
  // A refund: revoke what was delivered, then end the subscription at the period's end.
  await call('revokeFulfilment', { path: { orderId, fulfilmentId: created.data!.fulfilments[0].id } });
  const canceled = await call(
    'cancelSubscription',
    { path: { subscriptionId: 'sub_1' } },
    { reason: 'too_expensive', comment: 'Refunded' },
  );
  if (canceled.error?.error.code === 'cancellation_pending') return ['pending'];
  await call('createProduct', {}, { key: 'pro', kind: 'subscription', interval: 'month', name: 'Pro', prices: { EUR: 900 } });
  await call('setSellerDetails', {}, { legalName: 'Shop GmbH', country: 'DE', email: 'billing@shop.example' });

  // Every order of the account, page by page.
  const totals: string[] = [];
  let cursor: string | undefined;
  do {
    const query: paths['/orders']['get']['parameters']['query'] = { accountId, limit: 50, cursor };
    const page = await call('listOrders', { query });
    if (page.error) return [...totals, page.error.error.message];
    for (const o of page.data!.data) totals.push(\`\${o.reference}: \${o.total} \${o.currency}\`);
    cursor = page.data!.nextCursor ?? undefined;
  } while (cursor);

  // The customer's side, as a page of the shop would call it.
  const session = await callPortal('signInWithToken', { path: { storeId: 'demo' } }, { token: 'ap_…' });
  const storeId = 'demo';
  await callPortal('replaceBillingDetails', { path: { storeId } }, { country: 'DE' });
  await callPortal(
    'cancelSubscription',
    { path: { storeId, subscriptionId: 'sub_1' } },
    { reason: 'missing_features' },
  );
  const orders = await callPortal('listOrders', { path: { storeId }, query: { limit: 10 } });
  if (orders.error?.error.code === 'invalid_session' || session.error) return totals;
  return totals;
}
`;

/** Calls a generated client must refuse, each with the words its error names. */
const WRONG_CALLS: Record<string, { code: string; expect: RegExp }> = {
  'missing-currency.ts': {
    code: `import { call } from './client';
call('createOrder', {}, { customer: { email: 'ada@example.com' }, items: [] });`,
    expect: /currency/,
  },
  'missing-path-id.ts': {
    code: `import { call } from './client';
call('getOrder', { path: {} });`,
    expect: /orderId/,
  },
  'unknown-error-code.ts': {
    code: `import type { ErrorCode } from './client';
export const code: ErrorCode = 'card_exploded';`,
    expect: /card_exploded/,
  },
};

let dir: string;
let diagnostics: Map<string, string[]>;

/** Generates the types of both documents into `dir`, writes the scripts beside them and type-checks the lot. */
before(async () => {
  const t = await createTestContext();
  dir = mkdtempSync(join(tmpdir(), 'openapi-client-'));
  for (const [file, url] of [
    ['server-api.ts', '/api/openapi.json'],
    ['portal-api.ts', '/portal/openapi.json'],
  ]) {
    const response = await t.app.request(url);
    assert.equal(response.status, 200);
    writeFileSync(join(dir, file), astToString(await openapiTS(await json(response))));
  }
  const files = { 'client.ts': CLIENT, 'merchant.ts': MERCHANT };
  for (const [file, { code }] of Object.entries(WRONG_CALLS)) Object.assign(files, { [file]: code });
  for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
  const program = ts.createProgram(
    Object.keys(files).map((file) => join(dir, file)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: false,
    },
  );
  diagnostics = new Map();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? diagnostic.file.fileName.slice(dir.length + 1) : '(options)';
    const where = diagnostic.file
      ? `:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    const message = `${file}${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), message]);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('A client generated from both OpenAPI documents with openapi-typescript', () => {
  test('the generated types and a merchant script written against them type-check without errors', () => {
    const errors = ['server-api.ts', 'portal-api.ts', 'client.ts', 'merchant.ts', '(options)'].flatMap(
      (file) => diagnostics.get(file) ?? [],
    );
    assert.deepEqual(errors, []);
  });

  for (const [file, { expect }] of Object.entries(WRONG_CALLS)) {
    test(`a wrong call is a type error: ${file.replace(/\.ts$/, '').replaceAll('-', ' ')}`, () => {
      const errors = diagnostics.get(file) ?? [];
      assert.ok(errors.length > 0, `${file} should not type-check`);
      assert.match(errors.join('\n'), expect);
    });
  }
});
