import { Errors, Models, ServerClient } from 'postmark';
import { formatFrom, MailerError, type Mailer, type OutgoingEmail } from './mailer';

export interface PostmarkMailerOptions {
  /** The Postmark server's API token. Never logged. */
  serverToken: string;
  /** Host (and optional port) of the Postmark API (default `api.postmarkapp.com`). */
  requestHost?: string;
  /** Whether to reach the API over HTTPS (default true). */
  useHttps?: boolean;
  /** The Postmark message stream (default `outbound`, the transactional stream). */
  messageStream?: string;
  /** How long to wait for Postmark before the attempt counts as failed, in seconds (default 30). */
  timeoutSeconds?: number;
}

/**
 * Postmark ErrorCodes that no retry can fix, because the email itself is at fault:
 * an invalid request or address (300), an inactive recipient that bounced or
 * complained (406) and malformed requests (402, 403, 409).
 * https://postmarkapp.com/developer/api/overview#error-codes
 */
export const PERMANENT_ERROR_CODES: ReadonlySet<number> = new Set([300, 402, 403, 406, 409]);

/**
 * Sends through Postmark with its official client. Link and open tracking are off:
 * the emails carry single-use sign-in links that must reach the customer unchanged.
 */
export function createPostmarkMailer(options: PostmarkMailerOptions): Mailer {
  const client = new ServerClient(options.serverToken, {
    useHttps: options.useHttps ?? true,
    requestHost: options.requestHost ?? 'api.postmarkapp.com',
    timeout: options.timeoutSeconds ?? 30,
  });
  const messageStream = options.messageStream ?? 'outbound';
  return {
    name: 'postmark',
    keepsBodies: false,
    async send(message: OutgoingEmail) {
      try {
        const response = await client.sendEmail({
          From: formatFrom(message.from),
          To: message.to,
          Subject: message.subject,
          HtmlBody: message.html,
          TextBody: message.text,
          Tag: message.tag,
          MessageStream: messageStream,
          TrackOpens: false,
          TrackLinks: Models.LinkTrackingOptions.None,
          Metadata: { email_id: message.id },
          ...(message.attachments.length > 0 && {
            Attachments: message.attachments.map((file) => ({
              Name: file.name,
              Content: file.content.toString('base64'),
              ContentType: file.contentType,
              ContentID: null,
            })),
          }),
        });
        if (response.ErrorCode) throw new Errors.PostmarkError(response.Message, response.ErrorCode, 200);
        return { messageId: response.MessageID };
      } catch (error) {
        throw toMailerError(error);
      }
    },
  };
}

/**
 * Maps the client's errors to a MailerError: a rejected email (see
 * PERMANENT_ERROR_CODES) is permanent; a network failure or timeout, a 5xx, a 429 and
 * a configuration problem such as a bad token or an unconfirmed sender are temporary,
 * so the email goes out once the operator has fixed it.
 */
export function toMailerError(error: unknown): MailerError {
  if (!(error instanceof Errors.PostmarkError)) {
    return new MailerError(`Postmark request failed: ${error instanceof Error ? error.message : String(error)}`, false);
  }
  const { statusCode, code } = error;
  // Postmark names inactive recipients in its message; the row already holds the address.
  const detail = redactAddresses(error.message).slice(0, 300);
  if (statusCode === 0) return new MailerError(`Postmark request failed: ${detail}`, false);
  const permanent = statusCode === 422 && PERMANENT_ERROR_CODES.has(code);
  return new MailerError(`Postmark answered ${statusCode} (ErrorCode ${code}): ${detail}`, permanent, code, statusCode);
}

function redactAddresses(text: string): string {
  return text.replace(/[^\s@<>"',;:()]+@[^\s@<>"',;:()]+/g, '<address>');
}
