import { parseArgs } from 'node:util';
import { FAKE_KEYS, startFakeStripe } from './server';

/**
 * `npm run fake-stripe -- --port 12111 [--latency 300] [--rate-limit 100] [--webhook http://127.0.0.1:8787/webhooks/stripe]`:
 * the local fake of Stripe's API, for trying the portal's Stripe path without keys.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '12111' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string', default: '0' },
    'rate-limit': { type: 'string' },
    webhook: { type: 'string' },
  },
});
const fake = await startFakeStripe({
  port: Number(values.port),
  host: values.host,
  latencyMs: Number(values.latency),
  rateLimit: values['rate-limit'] ? Number(values['rate-limit']) : undefined,
  webhook: values.webhook ? { url: values.webhook, secret: FAKE_KEYS.webhookSecret } : undefined,
});
console.log(`Fake Stripe API on ${fake.url}. Start the portal with:

  PAYMENT_GATEWAY=stripe STRIPE_API_HOST=${fake.apiHost} \\
  STRIPE_SECRET_KEY=${FAKE_KEYS.secretKey} STRIPE_PUBLISHABLE_KEY=${FAKE_KEYS.publishableKey} \\
  STRIPE_WEBHOOK_SECRET=${FAKE_KEYS.webhookSecret} npm start
${values.webhook ? `\nEvents are posted to ${values.webhook}, signed with ${FAKE_KEYS.webhookSecret}.` : '\nAdd --webhook http://127.0.0.1:8787/webhooks/stripe to receive its events.'}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
