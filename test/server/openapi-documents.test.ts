import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { errorCodes, errors, isErrorCode, type ErrorCode } from '../../server/contract';
import { errorBody } from '../../server/lib/errors';
import { createTestContext, json, type TestContext } from '../helpers/app';

interface Schema {
  $ref?: string;
  default?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
}

interface ErrorMedia {
  schema: Schema;
  examples?: Record<string, { value: unknown }>;
}

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, ErrorMedia> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const DOCUMENTS = { api: '/api/openapi.json', portal: '/portal/openapi.json' } as const;
type Api = keyof typeof DOCUMENTS;

/** Every operation of a document, named `METHOD path`. */
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method,
      path,
      operation,
    })),
  );

/** The codes an operation documents, by status. */
function documentedCodes(operation: Operation): Map<string, string[]> {
  return new Map(
    Object.entries(operation.responses)
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => [status, Object.keys(response.content?.['application/json']?.examples ?? {})]),
  );
}

const documents = async (t: TestContext) => ({
  api: (await json(await t.app.request(DOCUMENTS.api))) as Document,
  portal: (await json(await t.app.request(DOCUMENTS.portal))) as Document,
});

/**
 * The operationIds clients have been generated with. Renaming one breaks every such
 * client; a new route adds its own (the test below only asks that these stay).
 */
const STABLE_IDS: Record<Api, Record<string, string>> = {
  api: {
    'POST /accounts': 'createAccount',
    'GET /accounts': 'listAccounts',
    'GET /accounts/{accountId}': 'getAccount',
    'PATCH /accounts/{accountId}': 'updateAccount',
    'POST /accounts/{accountId}/payment-methods': 'attachPaymentMethod',
    'GET /accounts/{accountId}/payment-methods': 'listPaymentMethods',
    'DELETE /accounts/{accountId}/payment-methods/{paymentMethodId}': 'removePaymentMethod',
    'GET /accounts/{accountId}/authenticate': 'issueAuthenticateUrl',
    'DELETE /accounts/{accountId}/authenticate-urls/{urlId}': 'revokeAuthenticateUrl',
    'POST /accounts/authenticate': 'issueAuthenticateUrls',
    'POST /accounts/{accountId}/invitations': 'sendInvitation',
    'GET /accounts/{accountId}/management-url': 'issueManagementUrl',
    'DELETE /accounts/{accountId}/sessions': 'endAccountAccess',
    'POST /webhook-endpoints': 'createWebhookEndpoint',
    'GET /webhook-endpoints': 'listWebhookEndpoints',
    'GET /webhook-endpoints/{endpointId}': 'getWebhookEndpoint',
    'DELETE /webhook-endpoints/{endpointId}': 'deleteWebhookEndpoint',
    'POST /orders': 'createOrder',
    'GET /orders': 'listOrders',
    'GET /orders/{orderId}': 'getOrder',
    'GET /orders/{orderId}/invoice': 'getOrderInvoice',
    'GET /orders/{orderId}/invoice.pdf': 'getOrderInvoicePdf',
    'POST /orders/{orderId}/fulfilments/{fulfilmentId}/revoke': 'revokeFulfilment',
    'GET /subscriptions': 'listSubscriptions',
    'GET /subscriptions/{subscriptionId}': 'getSubscription',
    'POST /subscriptions/{subscriptionId}/cancel': 'cancelSubscription',
    'POST /subscriptions/{subscriptionId}/resume': 'resumeSubscription',
    'POST /subscriptions/{subscriptionId}/pause': 'pauseSubscription',
    'POST /subscriptions/{subscriptionId}/unpause': 'unpauseSubscription',
    'POST /subscriptions/{subscriptionId}/change-preview': 'previewPlanChange',
    'POST /subscriptions/{subscriptionId}/change': 'confirmPlanChange',
    'DELETE /subscriptions/{subscriptionId}/scheduled-change': 'withdrawScheduledChange',
    'GET /cancellation-reasons': 'listCancellationReasons',
    'POST /products': 'createProduct',
    'GET /products': 'listProducts',
    'GET /products/{productId}': 'getProduct',
    'PATCH /products/{productId}': 'updateProduct',
    'GET /checkouts/{checkout}': 'getCheckout',
    'PUT /checkouts/{checkout}': 'setCheckoutTheme',
    'DELETE /checkouts/{checkout}': 'removeCheckoutTheme',
    'GET /store/seller': 'getSellerDetails',
    'PUT /store/seller': 'setSellerDetails',
    'GET /store/reminders': 'getReminderSettings',
    'PATCH /store/reminders': 'updateReminderSettings',
  },
  portal: {
    'GET /{storeId}/config': 'getConfig',
    'POST /{storeId}/login-links': 'requestLoginLink',
    'POST /{storeId}/sessions': 'signInWithToken',
    'POST /{storeId}/sessions/management': 'signInWithManagementUrl',
    'POST /{storeId}/sessions/password': 'signInWithPassword',
    'POST /{storeId}/password-resets': 'requestPasswordReset',
    'POST /{storeId}/sessions/password-reset': 'resetPassword',
    'DELETE /{storeId}/sessions/current': 'signOut',
    'GET /{storeId}/me': 'getAccount',
    'PATCH /{storeId}/me': 'updateContact',
    'PUT /{storeId}/me/billing-details': 'replaceBillingDetails',
    'PUT /{storeId}/me/password': 'setPassword',
    'GET /{storeId}/orders': 'listOrders',
    'GET /{storeId}/orders/{orderId}': 'getOrder',
    'POST /{storeId}/downloads/{fulfilmentId}/link': 'createDownloadLink',
    'GET /{storeId}/orders/{orderId}/invoice': 'getInvoice',
    'PUT /{storeId}/orders/{orderId}/invoice': 'correctInvoice',
    'GET /{storeId}/orders/{orderId}/invoice.pdf': 'getInvoicePdf',
    'GET /{storeId}/subscriptions': 'listSubscriptions',
    'GET /{storeId}/subscriptions/{subscriptionId}': 'getSubscription',
    'POST /{storeId}/subscriptions/{subscriptionId}/cancel': 'cancelSubscription',
    'POST /{storeId}/subscriptions/{subscriptionId}/resume': 'resumeSubscription',
    'POST /{storeId}/subscriptions/{subscriptionId}/pause': 'pauseSubscription',
    'POST /{storeId}/subscriptions/{subscriptionId}/unpause': 'unpauseSubscription',
    'GET /{storeId}/subscriptions/{subscriptionId}/plans': 'listPlanOptions',
    'POST /{storeId}/subscriptions/{subscriptionId}/change-preview': 'previewPlanChange',
    'POST /{storeId}/subscriptions/{subscriptionId}/change': 'confirmPlanChange',
    'DELETE /{storeId}/subscriptions/{subscriptionId}/scheduled-change': 'withdrawScheduledChange',
    'POST /{storeId}/subscriptions/{subscriptionId}/renew': 'renewSubscription',
    'PUT /{storeId}/subscriptions/{subscriptionId}/payment-method': 'setSubscriptionPaymentMethod',
    'GET /{storeId}/payment-methods': 'listPaymentMethods',
    'POST /{storeId}/payment-methods': 'completePaymentMethodSetup',
    'POST /{storeId}/payment-methods/setup': 'startPaymentMethodSetup',
    'PUT /{storeId}/payment-methods/{paymentMethodId}/default': 'setDefaultPaymentMethod',
    'DELETE /{storeId}/payment-methods/{paymentMethodId}': 'removePaymentMethod',
  },
};

/** The Portal API's operations a browser reaches without a session. */
const PUBLIC_PORTAL_OPERATIONS = [
  'getConfig',
  'requestLoginLink',
  'signInWithToken',
  'signInWithManagementUrl',
  'signInWithPassword',
  'requestPasswordReset',
  'resetPassword',
];

let t: TestContext;
let docs: Record<Api, Document>;
before(async () => {
  t = await createTestContext();
  docs = await documents(t);
});

describe('GET /api/openapi.json and /portal/openapi.json: operation ids', () => {
  for (const api of ['api', 'portal'] as const) {
    test(`every operation of ${DOCUMENTS[api]} has a camelCase operationId of its own`, () => {
      const operations = operationsOf(docs[api]);
      assert.ok(operations.length >= (api === 'api' ? 42 : 33), `${operations.length} operations`);
      const seen = new Map<string, string>();
      for (const { name, operation } of operations) {
        const id = operation.operationId;
        assert.ok(id, `${name} has an operationId`);
        assert.match(id, /^[a-z][a-zA-Z0-9]*$/, `${name}: ${id} is camelCase`);
        assert.equal(seen.get(id), undefined, `${name} and ${seen.get(id)} are both ${id}`);
        seen.set(id, name);
      }
    });

    test(`the operationIds of ${DOCUMENTS[api]} stay what clients were generated with`, () => {
      const ids = Object.fromEntries(
        operationsOf(docs[api]).map(({ name, operation }) => [name, operation.operationId]),
      );
      for (const [name, id] of Object.entries(STABLE_IDS[api])) assert.equal(ids[name], id, name);
    });
  }
});

/** A request to an operation with placeholder ids, an empty JSON body where it takes one, and no credentials. */
function bare(prefix: string, path: string, method: string, operation: Operation) {
  const url = prefix + path.replace('{storeId}', t.store.id).replace(/\{[^}]+\}/g, 'x_1');
  const body = operation.requestBody ? '{}' : undefined;
  return t.app.request(url, {
    method: method.toUpperCase(),
    headers: body ? { 'content-type': 'application/json' } : {},
    body,
  });
}

describe('GET /api/openapi.json and /portal/openapi.json: security', () => {
  test('every Server API operation declares HTTP Basic, and answers 401 unauthorized without it', async () => {
    for (const { name, method, path, operation } of operationsOf(docs.api)) {
      assert.deepEqual(operation.security, [{ basicAuth: [] }], name);
      const response = await bare('/api', path, method, operation);
      assert.equal(response.status, 401, name);
      assert.equal((await json(response)).error.code, 'unauthorized', name);
    }
    assert.equal(docs.api.paths['/openapi.json'], undefined, 'the document itself is not an operation');
    assert.equal((await t.app.request('/api/openapi.json')).status, 200, 'and needs no credentials');
  });

  test('public Portal API operations declare `security: []` and answer without a session; the others need one', async () => {
    const operations = operationsOf(docs.portal);
    const publicOnes = operations.filter(({ operation }) => operation.security?.length === 0);
    assert.deepEqual(
      publicOnes.map(({ operation }) => operation.operationId).sort(),
      [...PUBLIC_PORTAL_OPERATIONS].sort(),
    );
    for (const { name, method, path, operation } of operations) {
      const isPublic = PUBLIC_PORTAL_OPERATIONS.includes(operation.operationId!);
      if (!isPublic) assert.deepEqual(operation.security, [{ bearerAuth: [] }], name);
      const response = await bare('/portal', path, method, operation);
      const code = response.status >= 400 ? (await json(response)).error.code : null;
      if (isPublic) assert.notEqual(code, 'invalid_session', name);
      else assert.deepEqual([response.status, code], [401, 'invalid_session'], name);
    }
  });
});

describe('GET /api/openapi.json and /portal/openapi.json: errors', () => {
  for (const api of ['api', 'portal'] as const) {
    test(`${DOCUMENTS[api]}: the Error schema's code is the contract's codes, as an enum`, () => {
      const { schemas } = docs[api].components;
      assert.deepEqual(schemas.ErrorCode.enum, errorCodes);
      assert.deepEqual(schemas.Error.properties!.error.properties!.code, { $ref: '#/components/schemas/ErrorCode' });
    });

    test(`${DOCUMENTS[api]}: every error answer is the Error schema, with an example for each code under its own status`, () => {
      for (const { name, operation } of operationsOf(docs[api])) {
        for (const [status, codes] of documentedCodes(operation)) {
          const media = operation.responses[status].content!['application/json'];
          assert.deepEqual(media.schema, { $ref: '#/components/schemas/Error' }, `${name} ${status}`);
          assert.ok(codes.length > 0, `${name} ${status} names its codes`);
          for (const code of codes) {
            assert.ok(isErrorCode(code), `${name}: ${code} is in the contract`);
            assert.equal(errors[code].status, Number(status), `${name}: ${code} is a ${status}`);
            assert.deepEqual(media.examples![code].value, errorBody(code), `${name}: ${code}'s example`);
          }
        }
      }
    });

    test(`${DOCUMENTS[api]}: every operation documents the errors of what it takes`, () => {
      for (const { name, method, operation } of operationsOf(docs[api])) {
        const expected: ErrorCode[] = ['uri_too_long'];
        const parameters = operation.parameters ?? [];
        if (parameters.length > 0 || operation.requestBody) expected.push('validation_failed');
        if (operation.requestBody) expected.push('invalid_json', 'unsupported_media_type', 'payload_too_large');
        if (parameters.some((p) => p.in === 'query' && p.name === 'cursor')) expected.push('invalid_cursor');
        if (parameters.some((p) => p.in === 'path' && p.name !== 'storeId')) expected.push('not_found');
        if (api === 'api') {
          expected.push('unauthorized', 'too_many_auth_failures_from_address', 'too_many_auth_failures_for_user');
          if (method === 'post') {
            expected.push('invalid_idempotency_key', 'idempotency_key_reused', 'idempotency_key_in_use');
            assert.ok(
              parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
              `${name} takes Idempotency-Key`,
            );
          }
        } else {
          expected.push('store_not_found');
          if (operation.security?.length) expected.push('invalid_session', 'session_expired');
        }
        const codes = [...documentedCodes(operation)].flatMap(([, c]) => c);
        assert.deepEqual(
          expected.filter((code) => !codes.includes(code)),
          [],
          `${name} documents every error of its input`,
        );
      }
    });
  }
});

/** Every schema a request body reaches, its `$ref`s followed. */
function requestSchemas(doc: Document): Map<string, Schema> {
  const found = new Map<string, Schema>();
  const visit = (schema: Schema | undefined, where: string) => {
    if (!schema) return;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      if (!found.has(name)) visit(doc.components.schemas[name], name);
      return;
    }
    found.set(where, schema);
    for (const [key, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${key}`);
    visit(schema.items, `${where}[]`);
    for (const list of [schema.anyOf, schema.oneOf, schema.allOf])
      for (const [i, s] of (list ?? []).entries()) visit(s, `${where}|${i}`);
  };
  for (const { name, operation } of operationsOf(doc)) {
    visit(operation.requestBody?.content['application/json']?.schema, name);
  }
  return found;
}

describe('GET /api/openapi.json and /portal/openapi.json: request bodies', () => {
  for (const api of ['api', 'portal'] as const) {
    test(`${DOCUMENTS[api]}: no request field has a \`default\` keyword (generated clients would require it)`, () => {
      const schemas = requestSchemas(docs[api]);
      assert.ok(schemas.size > 20, `${schemas.size} schemas`);
      const withDefault = [...schemas].filter(([, schema]) => 'default' in schema).map(([where]) => where);
      assert.deepEqual(withDefault, []);
    });
  }

  test('fields the server fills in are optional and say their default', () => {
    const { schemas } = docs.api.components;
    const optional = {
      OrderItemInput: ['discount', 'tax', 'fulfilments'],
      OrderCreate: ['savePaymentMethod'],
      PaymentMethodInput: ['type'],
      CancelSubscriptionRequest: ['immediately'],
      ProductCreate: ['intervalCount'],
    };
    for (const [name, fields] of Object.entries(optional)) {
      for (const field of fields) {
        assert.ok(!schemas[name].required?.includes(field), `${name}.${field} is optional`);
        assert.match(
          (schemas[name].properties![field] as { description?: string }).description ?? '',
          /Default: /,
          `${name}.${field} says its default`,
        );
      }
    }
  });
});
