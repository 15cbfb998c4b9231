import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { accountCreateInput, accountSchema, accountUpdateInput } from '../../schemas/accounts';
import { cursorQuery, emailAddress, idParam, jsonBody, jsonResponse, page } from '../../schemas/common';
import { accountDeletionSchema } from '../../schemas/account-deletion';
import { createAccount, getAccount, listAccounts, toAccountView, updateAccount } from '../../services/accounts';
import { eraseAccount } from '../../services/privacy';
import { apiRoute, apiRouter } from './router';

const tags = ['Accounts'];
const params = idParam('accountId', 'acc');

const accountConflicts = {
  errors: ['account_exists'],
  errorNotes: {
    account_exists: 'The email or customUserId is taken; `details.accountId` names the existing account.',
  },
} as const;

const create = apiRoute({
  operationId: 'createAccount',
  method: 'post',
  path: '/',
  tags,
  summary: 'Create an account',
  request: { body: jsonBody(accountCreateInput) },
  responses: { 201: jsonResponse(accountSchema, 'The new account.') },
  ...accountConflicts,
});

const list = apiRoute({
  operationId: 'listAccounts',
  method: 'get',
  path: '/',
  tags,
  summary: 'List accounts, or look one up by email or customUserId',
  request: {
    query: z.object({
      email: emailAddress.optional(),
      customUserId: z.string().max(200).optional(),
      ...cursorQuery,
    }),
  },
  responses: { 200: jsonResponse(page(accountSchema), 'Accounts, newest first.') },
});

const get = apiRoute({
  operationId: 'getAccount',
  method: 'get',
  path: '/{accountId}',
  tags,
  summary: 'Get an account',
  request: { params },
  responses: { 200: jsonResponse(accountSchema, 'The account.') },
});

const update = apiRoute({
  operationId: 'updateAccount',
  method: 'patch',
  path: '/{accountId}',
  tags,
  summary: 'Update an account (only the fields sent change)',
  request: { params, body: jsonBody(accountUpdateInput) },
  responses: { 200: jsonResponse(accountSchema, 'The updated account.') },
  errors: ['account_exists', 'account_deleted'],
  errorNotes: accountConflicts.errorNotes,
});

const erase = apiRoute({
  operationId: 'deleteAccount',
  method: 'delete',
  path: '/{accountId}',
  tags,
  summary: "Delete an account: erase the customer's personal data, keep the records the law requires",
  description:
    'Detaches every payment method at the payment processor first (and deletes the processor customer the portal ' +
    'created); then, in one transaction, ends every session, link and remembered device, removes the personal ' +
    'data from the account, its orders, payment methods, emails and stored events, and emits `account.deleted`. ' +
    'Orders stay (amounts, items, dates, tax country) and invoices and credit notes stay exactly as issued. ' +
    'Refused while a subscription has not ended. Asking again answers `alreadyDeleted: true` and changes nothing.',
  request: { params },
  responses: { 200: jsonResponse(accountDeletionSchema, 'What was deleted and what was kept.') },
  errors: ['account_has_live_subscriptions', 'gateway_unavailable'],
  errorNotes: {
    account_has_live_subscriptions:
      '`details.subscriptionIds` names them; end them first (`POST /api/subscriptions/{id}/cancel` with ' +
      '`"immediately": true`).',
    gateway_unavailable: 'The processor could not be reached and nothing was deleted; try again (`Retry-After`).',
  },
});

export const accountRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, async (c) => {
      const account = await createAccount(deps, c.get('store').id, c.req.valid('json'));
      return c.json(toAccountView(account), 201);
    })
    .openapi(list, async (c) => {
      const result = await listAccounts(deps.db, c.get('store').id, c.req.valid('query'));
      return c.json({ data: result.data.map(toAccountView), nextCursor: result.nextCursor }, 200);
    })
    .openapi(get, async (c) =>
      c.json(toAccountView(await getAccount(deps.db, c.get('store').id, c.req.valid('param').accountId)), 200),
    )
    .openapi(update, async (c) => {
      const account = await updateAccount(
        deps,
        c.get('store').id,
        c.req.valid('param').accountId,
        c.req.valid('json'),
        'merchant',
      );
      return c.json(toAccountView(account), 200);
    })
    .openapi(erase, async (c) =>
      c.json(await eraseAccount(deps, c.get('store').id, c.req.valid('param').accountId), 200),
    );
