import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { accountCreateInput, accountSchema, accountUpdateInput } from '../../schemas/accounts';
import { cursorQuery, emailAddress, idParam, jsonBody, jsonResponse, page } from '../../schemas/common';
import { createAccount, getAccount, listAccounts, toAccountView, updateAccount } from '../../services/accounts';
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
  ...accountConflicts,
});

export const accountRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, (c) => {
      const account = createAccount(deps, c.var.store.id, c.req.valid('json'));
      return c.json(toAccountView(account), 201);
    })
    .openapi(list, (c) => {
      const result = listAccounts(deps.db, c.var.store.id, c.req.valid('query'));
      return c.json({ data: result.data.map(toAccountView), nextCursor: result.nextCursor }, 200);
    })
    .openapi(get, (c) =>
      c.json(toAccountView(getAccount(deps.db, c.var.store.id, c.req.valid('param').accountId)), 200),
    )
    .openapi(update, (c) => {
      const account = updateAccount(
        deps,
        c.var.store.id,
        c.req.valid('param').accountId,
        c.req.valid('json'),
        'merchant',
      );
      return c.json(toAccountView(account), 200);
    });
