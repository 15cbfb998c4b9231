/** A file sent with an email, such as an invoice PDF. */
export interface EmailAttachment {
  /** The file name the recipient sees (`invoice-NW-2026-000123.pdf`). */
  name: string;
  contentType: string;
  content: Buffer;
}

/** An email ready to hand to a provider. */
export interface OutgoingEmail {
  /** The outbox row's id (`eml_…`), for tracing it at the provider. */
  id: string;
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The kind of email (`login_link`, `invitation`), sent as the provider's tag. */
  tag: string;
  attachments: EmailAttachment[];
}

/** Sends emails. The email worker is its only caller; services queue emails instead. */
export interface Mailer {
  /** Which implementation this is; recorded as each sent email's provider. */
  readonly name: 'outbox' | 'postmark';
  /**
   * Whether the emails table stays where its emails are read once sent: true only
   * for the local outbox outside production, whose bodies are kept until their
   * sign-in links expire. Otherwise an email's bodies are cleared once it is final.
   */
  readonly keepsBodies: boolean;
  /** Sends one email and resolves to the provider's id for it; rejects with a MailerError. */
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
}

/**
 * A failed send. A permanent failure (an invalid or inactive recipient) is given up
 * at once; any other is retried with backoff. The message never contains the email's
 * bodies or credentials, since it is stored and logged.
 */
export class MailerError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider's own error code, when it gave one. */
    readonly code?: number,
    /** The provider's HTTP status, when it answered. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'MailerError';
  }
}

/**
 * The From header value `"Store name" <address>`: quotes and backslashes in the
 * name are escaped and line breaks dropped, so a store name cannot add headers.
 */
export function formatFrom(from: OutgoingEmail['from']): string {
  const name = from.name
    .replace(/[\r\n]+/g, ' ')
    .replace(/["\\]/g, (c) => `\\${c}`)
    .trim();
  return name ? `"${name}" <${from.address}>` : from.address;
}
