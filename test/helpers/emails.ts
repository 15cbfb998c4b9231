import type { OutgoingEmail } from '../../server/email/mailer';
import { createEmailWorker } from '../../server/email/worker';
import { renderAttachedDocument } from '../../server/services/orders';
import type { TestContext } from './app';

/**
 * Sends every email queued so far through the real email worker, documents
 * rendered by the app's renderer as in production, to a mailer that records
 * them (and keeps their bodies and attachments, as the local outbox does).
 */
export async function sendQueuedEmails(t: TestContext): Promise<OutgoingEmail[]> {
  const sent: OutgoingEmail[] = [];
  const worker = createEmailWorker(
    t.deps,
    {
      name: 'outbox',
      keepsBodies: true,
      send: async (message) => {
        sent.push(message);
        return { messageId: `sent-${message.id}` };
      },
    },
    { random: () => 0.5, renderDocument: (document) => renderAttachedDocument(t.deps, document) },
  );
  while ((await worker.runOnce()) > 0);
  return sent;
}
