import type { EmailEnv } from '../env';
import type { Logger } from '../lib/logger';
import type { Mailer } from './mailer';
import { createOutboxMailer } from './outbox-mailer';
import { createPostmarkMailer } from './postmark-mailer';

/**
 * Chooses the mailer from the configuration: Postmark when a server token is set,
 * otherwise the local outbox. Logs which one (never the token), and warns when
 * production runs on the outbox, since then no customer receives any email.
 */
export function createMailer(
  config: {
    production: boolean;
    email: EmailEnv;
    /** Where the development outbox pages show the emails, when they are served. */
    outboxUrl?: string;
  },
  logger: Logger,
): Mailer {
  const { postmark, from } = config.email;
  if (postmark) {
    logger.info('email: sending through Postmark', {
      host: postmark.requestHost ?? 'api.postmarkapp.com',
      messageStream: postmark.messageStream,
      from,
    });
    return createPostmarkMailer(postmark);
  }
  if (config.production) {
    logger.warn(
      'email: POSTMARK_SERVER_TOKEN is not set, so emails are only written to the local outbox ' +
        '(the emails table) and no customer receives them; set it to send through Postmark',
    );
    // Nobody reads them there in production: the sign-in links they carry are not kept.
    return createOutboxMailer({ logger, keepBodies: false });
  }
  logger.info(
    `email: no POSTMARK_SERVER_TOKEN, emails go to the local outbox ${
      config.outboxUrl ? `at ${config.outboxUrl}` : '(the emails table; its pages are not served)'
    }`,
  );
  return createOutboxMailer({ logger, browseUrl: config.outboxUrl });
}
