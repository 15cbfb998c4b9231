import type { Logger } from '../lib/logger';
import type { Mailer, OutgoingEmail } from './mailer';

export interface OutboxMailerOptions {
  logger?: Logger;
  /** Where the outbox can be browsed (`…/dev/outbox`), mentioned in the log line for each email. */
  browseUrl?: string;
  /** Keep the bodies after "sending", for the dev outbox pages (default true; production passes false). */
  keepBodies?: boolean;
}

/**
 * The local outbox, used when no email provider is configured. Nothing leaves the
 * machine: the emails table is the outbox, and "sending" only lets the worker mark
 * the email delivered (keeping its bodies outside production, so the dev outbox
 * pages can show them until their links expire).
 */
export function createOutboxMailer(options: OutboxMailerOptions = {}): Mailer {
  return {
    name: 'outbox',
    keepsBodies: options.keepBodies ?? true,
    async send(message: OutgoingEmail) {
      options.logger?.info('email delivered to the local outbox', {
        emailId: message.id,
        kind: message.tag,
        ...(options.browseUrl && { view: `${options.browseUrl}/${message.id}` }),
      });
      return { messageId: `outbox-${message.id}` };
    },
  };
}
