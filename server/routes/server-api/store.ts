import type { Deps } from '../../deps';
import { jsonBody, jsonResponse } from '../../schemas/common';
import { sellerInput, sellerSchema } from '../../schemas/invoices';
import { reminderSettingsInput, reminderSettingsSchema } from '../../schemas/store-settings';
import { reminderSettings } from '../../lib/store-settings';
import { setSellerDetails, toSellerView, updateStoreSettings } from '../../services/stores';
import { apiRoute, apiRouter } from './router';

const tags = ['Store'];

const getSeller = apiRoute({
  operationId: 'getSellerDetails',
  method: 'get',
  path: '/seller',
  tags,
  summary: "The store's legal seller details, printed on its invoices",
  description:
    '`missing` lists the required fields not yet set; until it is empty, invoice routes answer ' +
    '`409 seller_details_missing`.',
  responses: { 200: jsonResponse(sellerSchema, 'The seller details.') },
});

const putSeller = apiRoute({
  operationId: 'setSellerDetails',
  method: 'put',
  path: '/seller',
  tags,
  summary: "Set the store's legal seller details as a whole",
  description:
    'Required for invoices: `legalName`, `addressLine1`, `city`, `country`, `email`. Optional: ' +
    '`addressLine2`, `postalCode`, `state`, `vatId`, `registrationNumber`, `footer` (bank details, a thank-you; ' +
    'up to 1000 characters). Invoices already issued keep the details they were issued with.',
  request: { body: jsonBody(sellerInput) },
  responses: { 200: jsonResponse(sellerSchema, 'The stored seller details.') },
});

const reminderDescription =
  'The reminders before an automatic renewal, before a trial converts and before a charge that the card will not ' +
  'pay because it expires first. Each is sent once per charge: a webhook event (`subscription.renewal_upcoming`, ' +
  '`subscription.trial_ending`, `payment_method.expiring`) and, unless `reminderEmails` is false, an email to the customer.';

const getReminders = apiRoute({
  operationId: 'getReminderSettings',
  method: 'get',
  path: '/reminders',
  tags,
  summary: 'The reminders sent before renewals, trial ends and card expiries',
  description: reminderDescription,
  responses: { 200: jsonResponse(reminderSettingsSchema, 'The reminder settings.') },
});

const patchReminders = apiRoute({
  operationId: 'updateReminderSettings',
  method: 'patch',
  path: '/reminders',
  tags,
  summary: 'Change the reminder settings',
  description: `${reminderDescription} Only the fields given change; \`null\` turns a reminder off.`,
  request: { body: jsonBody(reminderSettingsInput) },
  responses: { 200: jsonResponse(reminderSettingsSchema, 'The reminder settings as stored.') },
});

/** The store's own settings that the merchant's backend manages. */
export const storeRoutes = (deps: Deps) =>
  apiRouter()
    .openapi(getSeller, (c) => c.json(toSellerView(c.get('store')), 200))
    .openapi(putSeller, async (c) =>
      c.json(await setSellerDetails(deps.db, deps.clock, c.get('store').id, c.req.valid('json'), 'replace'), 200),
    )
    .openapi(getReminders, (c) => c.json(reminderSettings(c.get('store')), 200))
    .openapi(patchReminders, async (c) => {
      const store = await updateStoreSettings(deps.db, deps.clock, c.get('store').id, c.req.valid('json'));
      return c.json(reminderSettings(store), 200);
    });
