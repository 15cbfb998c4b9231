import type { Logger } from '../lib/logger';
import type { Mailer, OutgoingEmail } from './mailer';

export interface OutboxMailerOptions {
  logger?: Logger;
  /** Where the outbox can be browsed (`…/dev/outbox`), mentioned in the log line for each email. */
  browseUrl?: string;
}

/**
 * The local outbox, used when no email provider is configured. Nothing leaves the
 * machine: the emails table is the outbox, and "sending" only lets the worker mark
 * the email delivered (keeping its bodies, so the dev outbox pages can show them).
 */
export function createOutboxMailer(options: OutboxMailerOptions = {}): Mailer {
  return {
    name: 'outbox',
    async send(message: OutgoingEmail) {
      options.logger?.info('email delivered to the local outbox', {
        emailId: message.id, kind: message.tag,
        ...(options.browseUrl && { view: `${options.browseUrl}/${message.id}` }),
      });
      return { messageId: `outbox-${message.id}` };
    },
  };
}
