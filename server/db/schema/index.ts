/**
 * The schema the services import: every table, row type and enum of the portal.
 *
 * One set of services serves both engines. They are written (and type-checked) against
 * the SQLite dialect's tables (./sqlite.ts: stores.ts, accounts.ts, …), and build their
 * queries on whichever database they are given; the tables below are live bindings
 * that `useTablesOf('postgres')` points at the PostgreSQL dialect's tables
 * (server/db/schema-pg/, held equal to these by test/server/schema-parity.test.ts)
 * when a PostgreSQL database is opened, so that Drizzle encodes values and writes SQL
 * for the engine the query runs on. A process runs on one engine: the one it opened
 * last. Tools that read both engines at once (`db copy`) import the two dialects'
 * modules themselves.
 */
import * as postgres from '../schema-pg';
import * as sqlite from './sqlite';

export * from './sqlite';

export let accounts = sqlite.accounts;
export let accountActivity = sqlite.accountActivity;
export let portalTokens = sqlite.portalTokens;
export let sessions = sqlite.sessions;
export let devices = sqlite.devices;
export let rateLimitHits = sqlite.rateLimitHits;
export let loginLinkRequests = sqlite.loginLinkRequests;
export let subscriptionCharges = sqlite.subscriptionCharges;
export let planChangeQuotes = sqlite.planChangeQuotes;
export let paymentSetups = sqlite.paymentSetups;
export let testGatewayCharges = sqlite.testGatewayCharges;
export let testGatewayRefunds = sqlite.testGatewayRefunds;
export let testGatewayDetachedMethods = sqlite.testGatewayDetachedMethods;
export let products = sqlite.products;
export let emails = sqlite.emails;
export let emailAttachments = sqlite.emailAttachments;
export let idempotencyKeys = sqlite.idempotencyKeys;
export let invoices = sqlite.invoices;
export let orders = sqlite.orders;
export let orderItems = sqlite.orderItems;
export let fulfilments = sqlite.fulfilments;
export let giftRecipients = sqlite.giftRecipients;
export let paymentMethods = sqlite.paymentMethods;
export let gatewayEvents = sqlite.gatewayEvents;
export let refunds = sqlite.refunds;
export let refundLines = sqlite.refundLines;
export let creditNotes = sqlite.creditNotes;
export let subscriptionReminders = sqlite.subscriptionReminders;
export let stores = sqlite.stores;
export let subscriptions = sqlite.subscriptions;
export let webhookEndpoints = sqlite.webhookEndpoints;
export let events = sqlite.events;
export let webhookDeliveries = sqlite.webhookDeliveries;

/** Points the tables above at one engine's dialect (openDatabase and openPostgres call it). */
export function useTablesOf(engine: 'sqlite' | 'postgres'): void {
  const tables = engine === 'postgres' ? postgres : sqlite;
  accounts = tables.accounts as unknown as typeof sqlite.accounts;
  accountActivity = tables.accountActivity as unknown as typeof sqlite.accountActivity;
  portalTokens = tables.portalTokens as unknown as typeof sqlite.portalTokens;
  sessions = tables.sessions as unknown as typeof sqlite.sessions;
  devices = tables.devices as unknown as typeof sqlite.devices;
  rateLimitHits = tables.rateLimitHits as unknown as typeof sqlite.rateLimitHits;
  loginLinkRequests = tables.loginLinkRequests as unknown as typeof sqlite.loginLinkRequests;
  subscriptionCharges = tables.subscriptionCharges as unknown as typeof sqlite.subscriptionCharges;
  planChangeQuotes = tables.planChangeQuotes as unknown as typeof sqlite.planChangeQuotes;
  paymentSetups = tables.paymentSetups as unknown as typeof sqlite.paymentSetups;
  testGatewayCharges = tables.testGatewayCharges as unknown as typeof sqlite.testGatewayCharges;
  testGatewayRefunds = tables.testGatewayRefunds as unknown as typeof sqlite.testGatewayRefunds;
  testGatewayDetachedMethods = tables.testGatewayDetachedMethods as unknown as typeof sqlite.testGatewayDetachedMethods;
  products = tables.products as unknown as typeof sqlite.products;
  emails = tables.emails as unknown as typeof sqlite.emails;
  emailAttachments = tables.emailAttachments as unknown as typeof sqlite.emailAttachments;
  idempotencyKeys = tables.idempotencyKeys as unknown as typeof sqlite.idempotencyKeys;
  invoices = tables.invoices as unknown as typeof sqlite.invoices;
  orders = tables.orders as unknown as typeof sqlite.orders;
  orderItems = tables.orderItems as unknown as typeof sqlite.orderItems;
  fulfilments = tables.fulfilments as unknown as typeof sqlite.fulfilments;
  giftRecipients = tables.giftRecipients as unknown as typeof sqlite.giftRecipients;
  paymentMethods = tables.paymentMethods as unknown as typeof sqlite.paymentMethods;
  gatewayEvents = tables.gatewayEvents as unknown as typeof sqlite.gatewayEvents;
  refunds = tables.refunds as unknown as typeof sqlite.refunds;
  refundLines = tables.refundLines as unknown as typeof sqlite.refundLines;
  creditNotes = tables.creditNotes as unknown as typeof sqlite.creditNotes;
  subscriptionReminders = tables.subscriptionReminders as unknown as typeof sqlite.subscriptionReminders;
  stores = tables.stores as unknown as typeof sqlite.stores;
  subscriptions = tables.subscriptions as unknown as typeof sqlite.subscriptions;
  webhookEndpoints = tables.webhookEndpoints as unknown as typeof sqlite.webhookEndpoints;
  events = tables.events as unknown as typeof sqlite.events;
  webhookDeliveries = tables.webhookDeliveries as unknown as typeof sqlite.webhookDeliveries;
}
