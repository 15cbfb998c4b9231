import { z } from '@hono/zod-openapi';
import type { Deps } from '../../deps';
import { idParam, isoDate, jsonBody, jsonResponse, text } from '../../schemas/common';
import { eventTypes } from '../../webhooks/emit';
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  isWebhookUrl,
  listWebhookEndpoints,
  MAX_WEBHOOK_URL_LENGTH,
  registerWebhookEndpoint,
  toWebhookEndpointView,
} from '../../webhooks/endpoints';
import { apiRoute, apiRouter } from './router';

const tags = ['Webhook endpoints'];
const params = idParam('endpointId', 'we');

const eventType = z.enum(eventTypes).openapi('WebhookEventType');

const endpointCreateInput = z
  .object({
    url: z
      .string()
      .trim()
      .max(MAX_WEBHOOK_URL_LENGTH)
      .refine(isWebhookUrl, 'Must be an absolute http or https URL without a user name or password.')
      .openapi({ example: 'https://shop.example/webhooks/account-portal' }),
    eventTypes: z
      .array(eventType)
      .max(100)
      .optional()
      .openapi({ description: 'The event types to deliver. Leave it out or send an empty list for every type.' }),
    description: text(500).optional(),
  })
  .strict()
  .openapi('WebhookEndpointCreate');

const endpointSchema = z
  .object({
    id: z.string().openapi({ example: 'we_4k9x2m7q1w8e5r3t6y0u' }),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()).openapi({ description: 'Empty means every type.' }),
    disabledAt: isoDate
      .nullable()
      .openapi({ description: 'Set when the endpoint answered 410 Gone; nothing is sent to it any more.' }),
    disabledReason: z.string().nullable(),
    createdAt: isoDate,
  })
  .openapi('WebhookEndpoint');

const createdSchema = endpointSchema
  .extend({
    secret: z.string().openapi({
      description:
        'The `whsec_…` signing secret for verifying the Standard Webhooks `webhook-signature` header. Shown only in this response.',
    }),
  })
  .openapi('WebhookEndpointCreated');

const create = apiRoute({
  operationId: 'createWebhookEndpoint',
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a webhook endpoint',
  description:
    'Events are POSTed to the URL, signed per Standard Webhooks with the secret returned here (once). ' +
    'In production a URL whose host is or resolves to a loopback, private, link-local, carrier-grade NAT, ' +
    'multicast, unspecified, reserved or cloud metadata address is a 422 (`details[0].code`: `forbidden_address`).',
  request: { body: jsonBody(endpointCreateInput) },
  responses: { 201: jsonResponse(createdSchema, 'The new endpoint with its secret.') },
});

const list = apiRoute({
  operationId: 'listWebhookEndpoints',
  method: 'get',
  path: '/',
  tags,
  summary: 'List webhook endpoints',
  responses: {
    200: jsonResponse(z.object({ data: z.array(endpointSchema) }), "The store's endpoints, newest first."),
  },
});

const get = apiRoute({
  operationId: 'getWebhookEndpoint',
  method: 'get',
  path: '/{endpointId}',
  tags,
  summary: 'Get a webhook endpoint',
  request: { params },
  responses: { 200: jsonResponse(endpointSchema, 'The endpoint (without its secret).') },
});

const remove = apiRoute({
  operationId: 'deleteWebhookEndpoint',
  method: 'delete',
  path: '/{endpointId}',
  tags,
  summary: 'Delete a webhook endpoint',
  description: 'Nothing more is sent to it; deliveries still waiting for it are dropped.',
  request: { params },
  responses: { 204: { description: 'Deleted.' } },
});

export const webhookEndpointRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(create, async (c) => {
      const { endpoint, secret } = await registerWebhookEndpoint(deps, c.get('store').id, c.req.valid('json'));
      return c.json({ ...toWebhookEndpointView(endpoint), secret }, 201);
    })
    .openapi(list, async (c) =>
      c.json({ data: (await listWebhookEndpoints(deps.db, c.get('store').id)).map(toWebhookEndpointView) }, 200),
    )
    .openapi(get, async (c) => {
      const endpoint = await getWebhookEndpoint(deps.db, c.get('store').id, c.req.valid('param').endpointId);
      return c.json(toWebhookEndpointView(endpoint), 200);
    })
    .openapi(remove, async (c) => {
      await deleteWebhookEndpoint(deps, c.get('store').id, c.req.valid('param').endpointId);
      return c.body(null, 204);
    });
