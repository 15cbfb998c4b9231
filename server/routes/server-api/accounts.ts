import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { accountCreateInput, accountSchema, accountUpdateInput } from '../../schemas/accounts';
import {
  apiErrorsWith,
  cursorQuery,
  emailAddress,
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  page,
} from '../../schemas/common';
import { createAccount, getAccount, listAccounts, toAccountView, updateAccount } from '../../services/accounts';
import { apiRouter, basicAuth } from './router';

const tags = ['Accounts'];
const params = idParam('accountId', 'acc');

const accountConflicts = apiErrorsWith(['account_exists'], {
  account_exists: 'The email or customUserId is taken; `details.accountId` names the existing account.',
});

const create = createRoute({
  method: 'post',
  path: '/',
  tags,
  security: basicAuth,
  summary: 'Create an account',
  request: { body: jsonBody(accountCreateInput) },
  responses: {
    201: jsonResponse(accountSchema, 'The new account.'),
    ...accountConflicts,
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags,
  security: basicAuth,
  summary: 'List accounts, or look one up by email or customUserId',
  request: {
    query: z.object({
      email: emailAddress.optional(),
      customUserId: z.string().max(200).optional(),
      ...cursorQuery,
    }),
  },
  responses: { 200: jsonResponse(page(accountSchema), 'Accounts, newest first.'), ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/{accountId}',
  tags,
  security: basicAuth,
  summary: 'Get an account',
  request: { params },
  responses: { 200: jsonResponse(accountSchema, 'The account.'), ...errorResponses },
});

const update = createRoute({
  method: 'patch',
  path: '/{accountId}',
  tags,
  security: basicAuth,
  summary: 'Update an account (only the fields sent change)',
  request: { params, body: jsonBody(accountUpdateInput) },
  responses: { 200: jsonResponse(accountSchema, 'The updated account.'), ...accountConflicts },
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
      const account = updateAccount(deps, c.var.store.id, c.req.valid('param').accountId, c.req.valid('json'));
      return c.json(toAccountView(account), 200);
    });
