import { createHmac, randomBytes } from 'node:crypto';

/** The prefix Standard Webhooks puts in front of a base64-encoded signing key. */
export const SECRET_PREFIX = 'whsec_';

/**
 * Returns a new signing secret: `whsec_` followed by 24 random bytes in standard
 * base64, the form the Standard Webhooks libraries accept as it is.
 */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/**
 * Signs a message the Standard Webhooks way and returns the `webhook-signature`
 * header value: `v1,` and the base64 HMAC-SHA256 of `${msgId}.${timestamp}.${body}`,
 * keyed with the bytes the secret's base64 part decodes to. `body` must be the
 * exact string that is sent.
 */
export function signPayload(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new Error('The webhook secret is empty.');
  if (!Number.isSafeInteger(timestampSeconds)) throw new Error('The webhook timestamp must be whole seconds.');
  const signature = createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${signature}`;
}
