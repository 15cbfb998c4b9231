import { first } from '../../server/db/query';
import { mapInOrder } from '../../server/lib/in-order';
import assert from 'node:assert/strict';
import { describe, test, type TestContext as NodeTestContext } from 'node:test';
import { eq } from 'drizzle-orm';
import { Errors } from 'postmark';
import { createApp } from '../../server/app';
import { openDatabase, type Db } from '../../server/db/client';
import { emailAttachments, emails, stores, type AttachedDocument } from '../../server/db/schema';
import { createMailer } from '../../server/email/create-mailer';
import { formatFrom, MailerError, type Mailer, type OutgoingEmail } from '../../server/email/mailer';
import { clearExpiredEmailBodies } from '../../server/email/outbox';
import { createOutboxMailer } from '../../server/email/outbox-mailer';
import { createPostmarkMailer, toMailerError } from '../../server/email/postmark-mailer';
import { invitationEmail, loginLinkEmail } from '../../server/email/templates';
import {
  createEmailWorker,
  EMAIL_MAX_ATTEMPTS,
  EMAIL_RETRY_SCHEDULE_MS,
  emailRetryDelayMs,
  type EmailWorkerOptions,
} from '../../server/email/worker';
import { readEnv } from '../../server/env';
import { DAY, FakeClock, MINUTE, SECOND } from '../../server/lib/clock';
import { silentLogger, type Logger } from '../../server/lib/logger';
import { queueEmail, type QueuedAttachment } from '../../server/email/queue';
import { getStore, setStoreValue } from '../../server/services/stores/stores';
import { tempDatabasePath } from '../helpers/temp-database';
import { createTestContext, json, openAgain, reopenable, type TestContext } from '../helpers/app';
import { closeDatabase } from '../helpers/engine-sql';
import { startFakePostmark, type FakePostmark } from '../helpers/fake-postmark';
import { startServer } from '../helpers/server-process';
import { messages } from '../../server/i18n';

const LINK = 'https://portal.test/account/shop?portal_token=tok_login_secret_123';
const MANAGE = 'https://portal.test/account/shop?portal_token=tok_manage_secret_456';

interface QueueOptions {
  to?: string;
  language?: string | null;
  firstName?: string | null;
  kind?: 'login_link' | 'invitation';
  url?: string;
  linkExpiries?: Date[];
  attachments?: QueuedAttachment[];
}

/** Renders an email with the real templates and queues it with queueEmail, as a service would. */
async function queue(ctx: { db: Db; clock: FakeClock }, options: QueueOptions = {}, storeId = 'shop'): Promise<string> {
  const store = await getStore(ctx.db, storeId);
  const to = options.to ?? 'ada@example.com';
  const recipient = { email: to, firstName: options.firstName ?? 'Ada', language: options.language ?? 'en' };
  const links = { url: options.url ?? LINK, managementUrl: MANAGE, ttlSeconds: 86_400 };
  const kind = options.kind ?? 'login_link';
  const email =
    kind === 'invitation' ? invitationEmail(store, recipient, links) : loginLinkEmail(store, recipient, links);
  const message = {
    store,
    accountId: null,
    to,
    kind,
    email,
    linkExpiries: options.linkExpiries,
    attachments: options.attachments,
  };
  return (await ctx.db.transaction(async (tx) => await queueEmail(tx, message, ctx.clock.now())))!;
}

const rowOf = async (db: Db, id: string) => first(await db.select().from(emails).where(eq(emails.id, id)))!;

/** A mailer that records what it is given and answers as told (default: accepted). */
function recordingMailer(
  answer: (message: OutgoingEmail, index: number) => Promise<{ messageId: string }> = async (m) => ({
    messageId: `rec-${m.id}`,
  }),
): Mailer & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return { name: 'outbox', keepsBodies: true, sent, send: (message) => answer(message, sent.push(message) - 1) };
}

function worker(
  ctx: { db: Db; clock: FakeClock },
  mailer: Mailer,
  options: EmailWorkerOptions = {},
  logger: Logger = silentLogger,
) {
  return createEmailWorker({ db: ctx.db, clock: ctx.clock, logger }, mailer, {
    random: () => 0.5,
    fromAddress: 'portal@shop.example',
    ...options,
  });
}

async function fakePostmark(t: NodeTestContext): Promise<FakePostmark> {
  const fake = await startFakePostmark();
  t.after(() => fake.close());
  return fake;
}

const postmarkFor = (fake: FakePostmark, options: { messageStream?: string; timeoutSeconds?: number } = {}) =>
  createPostmarkMailer({ serverToken: fake.token, requestHost: fake.host, useHttps: false, ...options });

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => {
    lines.push(message + JSON.stringify(fields ?? {}, (_k, v: unknown) => (v instanceof Error ? v.message : v)));
  };
  return { lines, info: record, warn: record, error: record };
}

describe('email worker with the local outbox mailer', () => {
  test('marks a queued email sent by the outbox and keeps its bodies for the dev outbox', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx);
    const queued = await rowOf(ctx.db, id);
    assert.equal(queued.status, 'pending');

    assert.equal(await worker(ctx, createOutboxMailer()).runOnce(), 1);
    const row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.provider, 'outbox');
    assert.equal(row.providerMessageId, `outbox-${id}`);
    assert.deepEqual(row.sentAt, ctx.clock.now());
    assert.equal(row.attempts, 1);
    assert.equal(row.leaseUntil, null);
    assert.equal(row.textBody, queued.textBody);
    assert.equal(row.htmlBody, queued.htmlBody);
    assert.equal(await worker(ctx, createOutboxMailer()).runOnce(), 0, 'a sent email is not sent again');
  });

  test('in production the local outbox keeps no bodies once the email is sent', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx);
    const mailer = createMailer(
      { production: true, email: { from: 'portal@shop.example', postmark: null } },
      silentLogger,
    );
    assert.equal(mailer.name, 'outbox');
    assert.equal(await worker(ctx, mailer).runOnce(), 1);
    const row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'sent');
    assert.deepEqual([row.textBody, row.htmlBody], [null, null]);
  });

  test('hands the mailer From with the store name, To, subject, both bodies and the kind as tag', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx, { to: 'bob@example.com', kind: 'invitation' });
    const mailer = recordingMailer();
    assert.equal(await worker(ctx, mailer).runOnce(), 1);
    const queued = await rowOf(ctx.db, id);
    assert.deepEqual(mailer.sent, [
      {
        id,
        from: { name: 'Store shop', address: 'portal@shop.example' },
        to: 'bob@example.com',
        subject: queued.subject,
        text: queued.textBody,
        html: queued.htmlBody,
        tag: 'invitation',
        attachments: [],
      },
    ]);
  });

  test('a document attachment is rendered by the worker before the first attempt, once; a retry sends the same bytes', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx, {
      attachments: [
        {
          name: 'Invoice-NW-2026-000001.pdf',
          contentType: 'application/pdf',
          document: { kind: 'invoice', id: 'inv_1', language: 'de' },
        },
      ],
    });
    const rendered: AttachedDocument[] = [];
    const renderDocument = async (document: AttachedDocument) => {
      rendered.push(document);
      return new TextEncoder().encode(`%PDF- ${document.kind} ${document.id} ${document.language} #${rendered.length}`);
    };
    let calls = 0;
    const flaky = recordingMailer(async (m) => {
      if (++calls === 1) throw new MailerError('try again', false);
      return { messageId: `rec-${m.id}` };
    });
    assert.equal(await worker(ctx, flaky, { renderDocument }).runOnce(), 1);
    assert.equal((await rowOf(ctx.db, id)).status, 'pending', 'the first attempt failed');
    ctx.clock.advance(10 * SECOND);
    assert.equal(await worker(ctx, flaky, { renderDocument }).runOnce(), 1);
    assert.equal((await rowOf(ctx.db, id)).status, 'sent');
    assert.deepEqual(rendered, [{ kind: 'invoice', id: 'inv_1', language: 'de' }], 'rendered once');
    const [first, second] = flaky.sent.map((m) => Buffer.from(m.attachments[0].content).toString());
    assert.equal(first, '%PDF- invoice inv_1 de #1');
    assert.equal(second, first, 'the retry sent the bytes rendered for the first attempt');
    const [file] = await ctx.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, id));
    assert.equal(file.size, first.length);
  });

  test("a round's documents are rendered one at a time, with the event loop turning between them", async () => {
    const ctx = await createTestContext();
    for (const id of ['inv_1', 'inv_2', 'inv_3']) {
      await queue(ctx, {
        to: `${id}@example.com`,
        attachments: [
          { name: `${id}.pdf`, contentType: 'application/pdf', document: { kind: 'invoice', id, language: 'en' } },
        ],
      });
    }
    const log: string[] = [];
    const renderDocument = async (document: AttachedDocument) => {
      log.push(`start ${document.id}`);
      // Synchronous work, as jspdf's is.
      const until = performance.now() + 25;
      while (performance.now() < until);
      log.push(`end ${document.id}`);
      return new TextEncoder().encode('%PDF-');
    };
    const ticker = setInterval(() => {
      if (log.at(-1) !== 'tick') log.push('tick');
    }, 1);
    try {
      assert.equal(await worker(ctx, recordingMailer(), { renderDocument }).runOnce(), 3);
    } finally {
      clearInterval(ticker);
    }
    const renders = log.filter((entry) => entry !== 'tick');
    assert.equal(renders.length, 6);
    for (let i = 0; i < renders.length; i += 2) {
      assert.equal(renders[i + 1], renders[i].replace('start', 'end'), `never two at once: ${renders.join(', ')}`);
    }
    const starts = log.flatMap((entry, i) => (entry.startsWith('start') ? [i] : []));
    for (const at of starts.slice(1))
      assert.equal(log[at - 1], 'tick', `timers ran before ${log[at]}: ${log.join(', ')}`);
  });

  test('an attachment that cannot be rendered fails the attempt, which is retried after the backoff', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx, {
      attachments: [
        { name: 'Invoice.pdf', contentType: 'application/pdf', document: { kind: 'invoice', id: 'x', language: 'en' } },
      ],
    });
    const mailer = recordingMailer();
    const failing = async () => {
      throw new Error('Invoices cannot be issued until the store has set its seller details.');
    };
    assert.equal(await worker(ctx, mailer, { renderDocument: failing }).runOnce(), 1);
    const row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'pending');
    assert.match(row.lastError ?? '', /could not be rendered: Invoices cannot be issued/);
    assert.deepEqual(mailer.sent, [], 'nothing sent without its attachment');
    assert.equal(await worker(ctx, mailer).runOnce(), 0, 'not before the backoff');
    ctx.clock.advance(10 * SECOND);
    assert.equal(await worker(ctx, mailer).runOnce(), 1, 'a worker without a renderer fails it too');
    assert.match((await rowOf(ctx.db, id)).lastError ?? '', /No renderer for the invoice x/);
  });

  test('a full batch is followed by another round at once; start() drains the outbox and stop() ends it', async (t) => {
    const ctx = await createTestContext();
    for (let i = 0; i < 5; i++) await queue(ctx, { to: `user${i}@example.com` });
    const mailer = recordingMailer();
    // A poll interval far longer than the test: only the "full batch, go again" rule can send all five.
    const w = worker(ctx, mailer, { batchSize: 2, pollIntervalMs: 60_000 });
    w.start();
    t.after(() => w.stop());
    for (let i = 0; i < 100 && mailer.sent.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(mailer.sent.length, 5);
    await w.stop();
    await queue(ctx);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(mailer.sent.length, 5, 'nothing is sent after stop()');
  });

  test('stop() waits for the send in flight and records its result', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mailer = recordingMailer(async (m) => {
      await gate;
      return { messageId: `late-${m.id}` };
    });
    const w = worker(ctx, mailer, { pollIntervalMs: 5 });
    w.start();
    while (mailer.sent.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(stopped, false, 'stop() waits for the send');
    release();
    await stopping;
    assert.equal((await rowOf(ctx.db, id)).status, 'sent');
  });
});

describe('email worker with Postmark (real client against a fake Postmark server)', () => {
  test('sends through POST /email with the token, From, To, Subject, bodies, stream and tag; then clears the bodies', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    const id = await queue(ctx, { to: 'ada@example.com' });
    const queued = await rowOf(ctx.db, id);

    assert.equal(await worker(ctx, postmarkFor(fake, { messageStream: 'account-emails' })).runOnce(), 1);
    assert.equal(fake.requests.length, 1);
    const [request] = fake.requests;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/email');
    assert.equal(request.headers['x-postmark-server-token'], fake.token);
    assert.equal(request.headers.accept, 'application/json');
    assert.match(String(request.headers['content-type']), /^application\/json/);
    assert.equal(request.body.From, '"Store shop" <portal@shop.example>');
    assert.equal(request.body.To, 'ada@example.com');
    assert.equal(request.body.Subject, 'Your sign-in link for Store shop');
    assert.equal(request.body.HtmlBody, queued.htmlBody);
    assert.equal(request.body.TextBody, queued.textBody);
    assert.ok(String(request.body.TextBody).includes(LINK));
    assert.equal(request.body.MessageStream, 'account-emails');
    assert.equal(request.body.Tag, 'login_link');
    assert.equal(request.body.TrackLinks, 'None', 'link tracking would rewrite the single-use link');
    assert.equal(request.body.TrackOpens, false);

    const row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.provider, 'postmark');
    assert.equal(row.providerMessageId, fake.accepted[0]);
    assert.deepEqual(row.sentAt, ctx.clock.now());
    assert.equal(row.textBody, null);
    assert.equal(row.htmlBody, null);
    assert.equal(row.subject, queued.subject);
  });

  test('sends attachments as Postmark Attachments (Name, base64 Content, ContentType), then clears their bytes', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    const pdf = Buffer.from('%PDF-1.3 invoice bytes \u0000\u00ff', 'latin1');
    const id = await queue(ctx, {
      attachments: [
        { name: 'invoice-NW-2026-000001.pdf', contentType: 'application/pdf', content: pdf },
        { name: 'notes.txt', contentType: 'text/plain', content: Buffer.from('hello') },
      ],
    });
    assert.equal(await worker(ctx, postmarkFor(fake)).runOnce(), 1);
    assert.deepEqual(fake.requests[0].body.Attachments, [
      {
        Name: 'invoice-NW-2026-000001.pdf',
        Content: pdf.toString('base64'),
        ContentType: 'application/pdf',
        ContentID: null,
      },
      {
        Name: 'notes.txt',
        Content: Buffer.from('hello').toString('base64'),
        ContentType: 'text/plain',
        ContentID: null,
      },
    ]);
    const files = await ctx.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, id));
    assert.deepEqual(
      files.map((f) => [f.name, f.size, f.content]),
      [
        ['invoice-NW-2026-000001.pdf', pdf.length, null],
        ['notes.txt', 5, null],
      ],
      'name, type and size stay; the bytes go with the bodies',
    );
    const plain = await queue(ctx, {});
    await worker(ctx, postmarkFor(fake)).runOnce();
    assert.equal((await rowOf(ctx.db, plain)).status, 'sent');
    assert.equal(fake.requests[1].body.Attachments, undefined, 'no Attachments field without attachments');
  });

  test('the message stream defaults to outbound', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    await queue(ctx);
    assert.equal(await worker(ctx, postmarkFor(fake)).runOnce(), 1);
    assert.equal(fake.requests[0].body.MessageStream, 'outbound');
  });

  test('a store name with quotes cannot break the From header', async () => {
    assert.equal(
      formatFrom({ name: 'Ben "&" Jerry\\s', address: 'a@b.example' }),
      '"Ben \\"&\\" Jerry\\\\s" <a@b.example>',
    );
    assert.equal(
      formatFrom({ name: 'Evil\r\nBcc: x@y.example', address: 'a@b.example' }),
      '"Evil Bcc: x@y.example" <a@b.example>',
    );
  });

  test('temporary failures (500, 429) are retried after the backoff, never earlier, keeping the bodies until sent', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    fake.answer(500, 429);
    const id = await queue(ctx);
    const w = worker(ctx, postmarkFor(fake));

    assert.equal(await w.runOnce(), 1);
    let row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.lastError ?? '', /500/);
    assert.ok(row.htmlBody, 'the bodies stay until the email is sent');
    assert.deepEqual(row.nextAttemptAt, new Date(ctx.clock.now().getTime() + 10 * SECOND));

    ctx.clock.advance(10 * SECOND - 1);
    assert.equal(await w.runOnce(), 0);
    assert.equal(fake.requests.length, 1, 'nothing is re-sent before the delay');
    ctx.clock.advance(1);
    assert.equal(await w.runOnce(), 1);
    row = await rowOf(ctx.db, id);
    assert.equal(row.attempts, 2);
    assert.match(row.lastError ?? '', /429/);

    ctx.clock.advance(MINUTE - 1);
    assert.equal(await w.runOnce(), 0);
    ctx.clock.advance(1);
    assert.equal(await w.runOnce(), 1);
    row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 3);
    assert.equal(row.lastError, null);
    assert.equal(row.htmlBody, null);
    assert.equal(fake.requests.length, 3);
    assert.equal(new Set(fake.requests.map((r) => r.body.Subject)).size, 1);
  });

  test('permanent failures (ErrorCode 300, 406) fail at once and are never retried', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    fake.answer(
      { status: 422, errorCode: 300, message: "Invalid 'To' address: 'not-an-address'." },
      {
        status: 422,
        errorCode: 406,
        message:
          'You tried to send to recipient(s) that have been marked as inactive. ' +
          'Found inactive addresses: gone@example.com.',
      },
    );
    const invalid = await queue(ctx, { to: 'not-an-address' });
    ctx.clock.advance(1);
    const inactive = await queue(ctx, { to: 'gone@example.com' });
    const w = worker(ctx, postmarkFor(fake), { batchSize: 1 });

    assert.equal(await w.runOnce(), 1);
    assert.equal(await w.runOnce(), 1);
    for (const [id, code] of [
      [invalid, 300],
      [inactive, 406],
    ] as const) {
      const row = await rowOf(ctx.db, id);
      assert.equal(row.status, 'failed');
      assert.equal(row.attempts, 1);
      assert.match(row.lastError ?? '', new RegExp(`ErrorCode ${code}`));
      assert.equal(row.htmlBody, null, "a final email's bodies are cleared");
    }
    assert.ok(!(await rowOf(ctx.db, inactive)).lastError?.includes('gone@example.com'));
    ctx.clock.advance(7 * DAY);
    assert.equal(await w.runOnce(), 0);
    assert.equal(fake.requests.length, 2);
  });

  test('an answer that never comes times out; the next try sends the email', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    fake.answer('hang');
    const id = await queue(ctx);
    const w = worker(ctx, postmarkFor(fake, { timeoutSeconds: 0.3 }));

    const started = performance.now();
    assert.equal(await w.runOnce(), 1);
    assert.ok(performance.now() - started < 5000);
    assert.equal((await rowOf(ctx.db, id)).status, 'pending');
    assert.match((await rowOf(ctx.db, id)).lastError ?? '', /Postmark request failed/);
    ctx.clock.advance(10 * SECOND);
    assert.equal(await w.runOnce(), 1);
    assert.equal((await rowOf(ctx.db, id)).status, 'sent');
    assert.equal(fake.requests.length, 2);
  });

  test('a refused connection and a rejected token are temporary', async (t) => {
    const ctx = await createTestContext();
    const closed = await startFakePostmark();
    await closed.close();
    const fake = await fakePostmark(t);
    const first = await queue(ctx);
    assert.equal(await worker(ctx, postmarkFor(closed)).runOnce(), 1);
    assert.equal((await rowOf(ctx.db, first)).status, 'pending');

    ctx.clock.advance(10 * SECOND);
    const wrongToken = createPostmarkMailer({ serverToken: 'wrong-token', requestHost: fake.host, useHttps: false });
    assert.equal(await worker(ctx, wrongToken).runOnce(), 1);
    const row = await rowOf(ctx.db, first);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 2);
    assert.match(row.lastError ?? '', /401/);
  });

  test("maps the client's errors: only rejected emails are permanent", () => {
    const cases: [Error, boolean][] = [
      [new Errors.PostmarkError('fetch failed'), false],
      [new Errors.InternalServerError('boom', 0, 500), false],
      [new Errors.ServiceUnavailablerError('down', 0, 503), false],
      [new Errors.RateLimitExceededError('slow down', 0, 429), false],
      [new Errors.InvalidAPIKeyError('bad token', 10, 401), false],
      [new Errors.ApiInputError('sender signature not confirmed', 401, 422), false],
      [new Errors.ApiInputError('out of credits', 405, 422), false],
      [Errors.ApiInputError.buildSpecificError('invalid', 300, 422), true],
      [Errors.ApiInputError.buildSpecificError('inactive a@b.example', 406, 422), true],
      [new TypeError('something else'), false],
    ];
    for (const [error, permanent] of cases) {
      const mapped = toMailerError(error);
      assert.ok(mapped instanceof MailerError);
      assert.equal(mapped.permanent, permanent, error.message);
      assert.ok(!mapped.message.includes('a@b.example'));
    }
  });

  test('gives up after 8 attempts on the 10 s … 12 h schedule', async () => {
    const ctx = await createTestContext();
    const id = await queue(ctx);
    const mailer = recordingMailer(async () => {
      throw new MailerError('Postmark answered 503', false);
    });
    const w = worker(ctx, mailer);
    assert.equal(await w.runOnce(), 1);
    for (const delay of EMAIL_RETRY_SCHEDULE_MS) {
      ctx.clock.advance(delay - 1);
      assert.equal(await w.runOnce(), 0);
      ctx.clock.advance(1);
      assert.equal(await w.runOnce(), 1);
    }
    ctx.clock.advance(7 * DAY);
    assert.equal(await w.runOnce(), 0);
    assert.equal(EMAIL_MAX_ATTEMPTS, 8);
    assert.equal(mailer.sent.length, 8);
    assert.deepEqual(EMAIL_RETRY_SCHEDULE_MS, [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000]);
    const row = await rowOf(ctx.db, id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 8);
    assert.equal(
      emailRetryDelayMs(1, () => 0),
      9000,
    );
    assert.equal(emailRetryDelayMs(8), undefined);
  });

  test('logs never contain the token, the bodies, the links or the recipient', async (t) => {
    const ctx = await createTestContext();
    const fake = await fakePostmark(t);
    fake.answer(500, { status: 422, errorCode: 406, message: 'Found inactive addresses: ada.secretive@example.com.' });
    const logger = recordingLogger();
    createMailer(
      {
        production: true,
        email: {
          from: 'portal@shop.example',
          postmark: { serverToken: fake.token, messageStream: 'outbound', requestHost: fake.host, useHttps: false },
        },
      },
      logger,
    );
    await queue(ctx, { to: 'ada.secretive@example.com' });
    const w = worker(ctx, postmarkFor(fake), {}, logger);
    assert.equal(await w.runOnce(), 1);
    ctx.clock.advance(10 * SECOND);
    assert.equal(await w.runOnce(), 1);
    assert.ok(logger.lines.length >= 3);
    const logged = logger.lines.join('\n');
    for (const secret of [fake.token, 'tok_login_secret_123', 'tok_manage_secret_456', 'ada.secretive', 'Sign in']) {
      assert.ok(!logged.includes(secret), `the log contains ${secret}`);
    }
  });
});

describe('email worker durability', () => {
  test('an email claimed by a worker that crashed mid-send is sent exactly once after a restart', async (t) => {
    const before = await createTestContext(reopenable(t));
    const id = await queue(before);
    // The "crashed" worker claims the email and its send never returns; then its process is gone.
    const crashed = worker(
      before,
      recordingMailer(() => new Promise(() => {})),
    );
    void crashed.runOnce();
    // The claim is its own transaction, committed before the send (which never returns).
    let leased = false;
    for (let turn = 0; turn < 100 && !leased; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      leased = Boolean((await rowOf(before.db, id)).leaseUntil);
    }
    assert.ok(leased, 'the crashed worker holds the lease');
    await closeDatabase(before.db);

    const db = await openAgain(before.db);
    t.after(() => closeDatabase(db));
    const clock = new FakeClock(before.clock.now());
    const mailer = recordingMailer();
    const restarted = worker({ db, clock }, mailer);
    assert.equal(await restarted.runOnce(), 0, 'the lease still holds');
    clock.advance(2 * MINUTE);
    assert.equal(await restarted.runOnce(), 1);
    clock.advance(DAY);
    assert.equal(await restarted.runOnce(), 0);
    assert.deepEqual(
      mailer.sent.map((m) => m.id),
      [id],
    );
    const row = await rowOf(db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 1);
  });

  test('two workers on one database, and overlapping rounds, never send an email twice', async (t) => {
    const ctx = await createTestContext(reopenable(t));
    t.after(() => closeDatabase(ctx.db));
    const ids = await mapInOrder(
      Array.from({ length: 7 }, (_, i) => i),
      (i) => queue(ctx, { to: `user${i}@example.com` }),
    );
    const secondDb = await openAgain(ctx.db);
    t.after(() => closeDatabase(secondDb));
    const slow = async (m: OutgoingEmail) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { messageId: `m-${m.id}` };
    };
    const mailerA = recordingMailer(slow);
    const mailerB = recordingMailer(slow);
    const first = worker(ctx, mailerA, { batchSize: 2 });
    const second = worker({ db: secondDb, clock: ctx.clock }, mailerB, { batchSize: 2 });

    const counts: number[] = [];
    for (let round = 0; round < 3; round++) {
      counts.push(...(await Promise.all([first.runOnce(), second.runOnce(), first.runOnce(), second.runOnce()])));
    }
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      7,
    );
    const sent = [...mailerA.sent, ...mailerB.sent].map((m) => m.id);
    assert.equal(sent.length, 7);
    assert.deepEqual(new Set(sent), new Set(ids));
    assert.ok((await ctx.db.select().from(emails)).every((e) => e.status === 'sent' && e.attempts === 1));
  });
});

describe('GET /dev/outbox', () => {
  async function seeded(): Promise<{ ctx: TestContext; ids: string[] }> {
    const ctx = await createTestContext();
    const ids = [
      await queue(ctx, { to: 'first@example.com', url: 'https://portal.test/account/shop?portal_token=first' }),
      (ctx.clock.advance(MINUTE),
      await queue(ctx, {
        to: 'second@example.com',
        kind: 'invitation',
        language: 'de',
        url: 'https://portal.test/account/shop?portal_token=second&x=1',
      })),
      (ctx.clock.advance(MINUTE),
      await queue(ctx, { to: 'third@example.com', url: 'https://portal.test/account/shop?portal_token=third' })),
    ];
    return { ctx, ids };
  }

  const assertPrivate = (response: Response) => {
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  };

  test('lists the emails newest first with their links clickable, escaped, never cached', async () => {
    const { ctx, ids } = await seeded();
    await worker(ctx, createOutboxMailer(), { batchSize: 1 }).runOnce();
    const response = await ctx.app.request('/dev/outbox');
    assert.equal(response.status, 200);
    assertPrivate(response);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.ok(!csp.includes('script-src'));
    const page = await response.text();
    const positions = ['third@example.com', 'second@example.com', 'first@example.com'].map((to) => page.indexOf(to));
    assert.ok(positions.every((p) => p > 0));
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions,
      'newest first',
    );
    assert.ok(page.includes('<a href="https://portal.test/account/shop?portal_token=third" rel="noreferrer">'));
    assert.ok(page.includes('href="https://portal.test/account/shop?portal_token=second&#38;x=1"'));
    assert.ok(page.includes('Ihr Konto bei Store shop ist bereit'));
    assert.ok(page.includes('invitation') && page.includes('login_link'));
    assert.ok(page.includes('sent') && page.includes('pending'));
    for (const id of ids) assert.ok(page.includes(`href="/dev/outbox/${id}"`));
    assert.ok(!page.includes('<script'));
  });

  test("speaks the browser's language (or ?lang=), right to left in Hebrew", async () => {
    const { ctx, ids } = await seeded();
    const german = await (
      await ctx.app.request('/dev/outbox', { headers: { 'accept-language': 'de-CH, en;q=0.5' } })
    ).text();
    assert.ok(german.includes('<html lang="de" dir="ltr">'), 'lang and dir');
    assert.ok(german.includes('<h1>Postausgang</h1>') && german.includes('<th>Betreff</th>'), 'German headings');
    const hebrew = await (await ctx.app.request(`/dev/outbox/${ids[0]}?lang=he`)).text();
    assert.ok(hebrew.includes('<html lang="he" dir="rtl">'), 'lang and dir');
    assert.ok(hebrew.includes(messages('he').pages.outbox.attachments), 'Hebrew labels');
    assert.ok(!hebrew.includes('<th>Attachments</th>'), 'no English label');
  });

  test('GET /dev/outbox/:id shows the text body and frames the HTML body under a sandbox CSP', async () => {
    const { ctx, ids } = await seeded();
    const row = await rowOf(ctx.db, ids[0]);
    const response = await ctx.app.request(`/dev/outbox/${ids[0]}`);
    assert.equal(response.status, 200);
    assertPrivate(response);
    const page = await response.text();
    assert.ok(page.includes(row.subject));
    assert.ok(page.includes('<a href="https://portal.test/account/shop?portal_token=first" rel="noreferrer">'));
    assert.ok(page.includes(`<iframe src="/dev/outbox/${ids[0]}/html"`));
    assert.ok(page.includes('Sign in: https://portal.test/account/shop?portal_token=first'), 'the text body');

    const html = await ctx.app.request(`/dev/outbox/${ids[0]}/html`);
    assert.equal(html.status, 200);
    assertPrivate(html);
    const csp = html.headers.get('content-security-policy') ?? '';
    assert.match(csp, /^sandbox\b/);
    assert.ok(!csp.includes('allow-scripts') && !csp.includes('allow-same-origin'));
    assert.equal(await html.text(), row.htmlBody);

    assert.equal((await ctx.app.request('/dev/outbox/eml_doesnotexist00000')).status, 404);
    assert.equal((await ctx.app.request('/dev/outbox/eml_doesnotexist00000/html')).status, 404);
  });

  test('GET /dev/outbox/:id lists the attachments (name, type, size) and opens them', async () => {
    const ctx = await createTestContext();
    const pdf = Buffer.from('%PDF-1.3 credit note');
    const id = await queue(ctx, {
      attachments: [{ name: 'credit-note-NW-CN-2026-000001.pdf', contentType: 'application/pdf', content: pdf }],
    });
    await worker(ctx, createOutboxMailer()).runOnce();
    const [file] = await ctx.db.select().from(emailAttachments).where(eq(emailAttachments.emailId, id));
    const response = await ctx.app.request(`/dev/outbox/${id}`);
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.ok(page.includes(`href="/dev/outbox/${id}/attachments/${file.id}"`));
    assert.ok(
      page.includes('credit-note-NW-CN-2026-000001.pdf') &&
        page.includes('application/pdf') &&
        page.includes(`${pdf.length} bytes`),
    );
    const opened = await ctx.app.request(`/dev/outbox/${id}/attachments/${file.id}`);
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get('content-type'), 'application/pdf');
    assert.match(opened.headers.get('content-security-policy') ?? '', /^sandbox\b/);
    assert.deepEqual(Buffer.from(await opened.arrayBuffer()), pdf);
    assert.equal((await ctx.app.request(`/dev/outbox/${id}/attachments/att_nope`)).status, 404);
    const listed = await ctx.app.request('/dev/outbox.json');
    assert.equal(listed.status, 200);
    assert.deepEqual((await listed.json())[0].attachments, [
      { id: file.id, name: 'credit-note-NW-CN-2026-000001.pdf', contentType: 'application/pdf', size: pdf.length },
    ]);
  });

  test('GET /dev/outbox.json returns { id, to, subject, text, html, createdAt } newest first', async () => {
    const { ctx, ids } = await seeded();
    const response = await ctx.app.request('/dev/outbox.json');
    assert.equal(response.status, 200);
    assertPrivate(response);
    const list = await json<Record<string, unknown>[]>(response);
    assert.deepEqual(
      list.map((e) => e.id),
      [...ids].reverse(),
    );
    const row = await rowOf(ctx.db, ids[2]);
    assert.deepEqual(
      {
        id: list[0].id,
        to: list[0].to,
        subject: list[0].subject,
        text: list[0].text,
        html: list[0].html,
        createdAt: list[0].createdAt,
      },
      {
        id: row.id,
        to: 'third@example.com',
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        createdAt: row.createdAt.toISOString(),
      },
    );
    assert.equal(list[1].kind, 'invitation');
    assert.equal(list[1].status, 'pending');

    const filtered = await json<{ id: string }[]>(await ctx.app.request('/dev/outbox.json?to=SECOND@example.com'));
    assert.deepEqual(
      filtered.map((e) => e.id),
      [ids[1]],
    );
  });

  test('emails queued in the same millisecond are still listed newest first', async () => {
    const ctx = await createTestContext();
    const ids = await mapInOrder([0, 1, 2, 3], async (i) => await queue(ctx, { to: `same${i}@example.com` }));
    const list = await json<{ id: string }[]>(await ctx.app.request('/dev/outbox.json'));
    assert.deepEqual(
      list.map((e) => e.id),
      [...ids].reverse(),
    );
  });

  test('is refused with 403 and an explanation when the server listens beyond loopback; the landing page says so', async () => {
    const ctx = await createTestContext({ host: '0.0.0.0' });
    const id = await queue(ctx);
    for (const path of ['/dev/outbox', '/dev/outbox.json', `/dev/outbox/${id}`, `/dev/outbox/${id}/html`]) {
      const response = await ctx.app.request(path);
      assert.equal(response.status, 403, path);
      const body = await response.text();
      assert.equal(JSON.parse(body).error.code, 'dev_outbox_not_served', path);
      assert.match(JSON.parse(body).error.message, /loopback address \(HOST=127\.0\.0\.1, ::1 or localhost\)/);
      assert.ok(!body.includes('tok_login_secret_123'), 'no sign-in link leaks');
    }
    const landing = await ctx.app.request('/');
    assert.equal(landing.status, 200);
    const html = await landing.text();
    assert.doesNotMatch(html, /href="[^"]*\/dev\/outbox"/);
    assert.match(html, /Not served: the server listens on more than loopback/);
  });

  test('is served when the server listens on 127.0.0.1, ::1 or localhost', async () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      const ctx = await createTestContext({ host });
      await queue(ctx);
      const response = await ctx.app.request('/dev/outbox.json');
      assert.equal(response.status, 200, host);
      assert.equal((await json<unknown[]>(response)).length, 1, host);
    }
  });

  test('does not exist in production', async () => {
    const ctx = await createTestContext();
    await queue(ctx);
    const app = createApp({ ...ctx.deps, config: { ...ctx.deps.config, production: true } });
    for (const path of [
      '/dev/outbox',
      '/dev/outbox.json',
      `/dev/outbox/${(await rowOf(ctx.db, await queue(ctx))).id}`,
    ]) {
      assert.equal((await app.request(path)).status, 404, path);
    }
  });
});

describe('clearExpiredEmailBodies', () => {
  test('clears the bodies once the last link expired, not before, whether sent or not; others keep theirs', async () => {
    const ctx = await createTestContext();
    const start = ctx.clock.now().getTime();
    const expiries = [new Date(start + DAY), new Date(start + 3 * DAY)];
    const sent = await queue(ctx, { to: 'sent@example.com', linkExpiries: expiries });
    await worker(ctx, createOutboxMailer()).runOnce();
    const unsent = await queue(ctx, { to: 'unsent@example.com', linkExpiries: expiries });
    const receipt = await queue(ctx, { to: 'receipt@example.com' });
    assert.equal((await rowOf(ctx.db, sent)).bodyExpiresAt?.getTime(), start + 3 * DAY, 'the last of its links');
    assert.equal((await rowOf(ctx.db, receipt)).bodyExpiresAt, null, 'no sign-in link, no expiry');

    ctx.clock.set(start + 3 * DAY - 1);
    assert.equal(await clearExpiredEmailBodies(ctx.db, ctx.clock.now()), 0);
    assert.ok((await rowOf(ctx.db, sent)).textBody && (await rowOf(ctx.db, sent)).htmlBody);
    ctx.clock.set(start + 3 * DAY);
    assert.equal(await clearExpiredEmailBodies(ctx.db, ctx.clock.now()), 2);
    for (const id of [sent, unsent]) {
      const row = await rowOf(ctx.db, id);
      assert.deepEqual([row.textBody, row.htmlBody], [null, null], id);
      assert.ok(row.subject && row.toAddress, 'the rest of the row stays');
    }
    assert.ok((await rowOf(ctx.db, receipt)).textBody);
    assert.equal(await clearExpiredEmailBodies(ctx.db, ctx.clock.now()), 0, 'nothing is cleared twice');

    const page = await ctx.app.request(`/dev/outbox/${sent}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /The bodies were cleared/);
    assert.equal((await ctx.app.request(`/dev/outbox/${sent}/html`)).status, 404);
    const list = await json<{ id: string; text: string | null }[]>(await ctx.app.request('/dev/outbox.json'));
    assert.equal(list.find((e) => e.id === unsent)?.text, null);
  });
});

describe('email templates', () => {
  async function themed(ctx: TestContext) {
    await ctx.db
      .update(stores)
      .set({
        checkoutThemes: {
          default: {
            primaryColor: '#e11d48',
            logoUrl: 'https://cdn.shop.example/logo.png',
          },
        },
      })
      .where(eq(stores.id, 'shop'));
    return await getStore(ctx.db, 'shop');
  }

  test('English: subject and body, store name, logo, primary colour, and the link in both bodies', async () => {
    const ctx = await createTestContext();
    const store = await themed(ctx);
    const email = loginLinkEmail(
      store,
      { email: 'a@example.com', firstName: 'Ada', language: 'en' },
      { url: LINK, managementUrl: MANAGE, ttlSeconds: 86_400 },
    );
    assert.equal(email.language, 'en');
    assert.equal(email.subject, 'Your sign-in link for Store shop');
    assert.ok(email.text.includes('Hello Ada,'));
    assert.ok(email.text.includes('expires in 24 hours'));
    for (const body of [email.text, email.html]) {
      assert.ok(body.includes(LINK), 'the sign-in link');
      assert.ok(body.includes(MANAGE), 'the management URL');
      assert.ok(body.includes('Store shop'));
    }
    assert.ok(email.html.includes('<img src="https://cdn.shop.example/logo.png"'));
    assert.ok(email.html.includes('#e11d48'));
    assert.ok(email.html.includes('<html lang="en" dir="ltr">'), 'lang and dir');
  });

  test('German for de and de-AT, English for unknown or missing languages', async () => {
    const ctx = await createTestContext();
    const store = await getStore(ctx.db, 'shop');
    const links = { url: LINK, managementUrl: MANAGE, ttlSeconds: 7 * 86_400 };
    for (const language of ['de', 'de-AT']) {
      const email = invitationEmail(store, { email: 'a@example.com', firstName: 'Jörg', language }, links);
      assert.equal(email.language, 'de');
      assert.equal(email.subject, 'Ihr Konto bei Store shop ist bereit');
      assert.ok(email.text.includes('Hallo Jörg,'));
      assert.ok(email.html.includes('<html lang="de" dir="ltr">'), 'lang and dir');
      assert.ok(email.text.includes(LINK) && email.html.includes(LINK));
    }
    const login = loginLinkEmail(store, { email: 'a@example.com', firstName: null, language: 'de-AT' }, links);
    assert.equal(login.subject, 'Ihr Anmeldelink für Store shop');
    assert.ok(login.text.startsWith('Hallo,'));
    for (const language of ['sw', 'xx-YY', null]) {
      const email = loginLinkEmail(store, { email: 'a@example.com', firstName: null, language }, links);
      assert.equal(email.language, 'en');
      assert.equal(email.subject, 'Your sign-in link for Store shop');
    }
  });

  test("HTML escapes the store name and the recipient's name", async () => {
    const ctx = await createTestContext();
    const store = await setStoreValue(ctx.db, ctx.clock, 'shop', 'name', "Ben & Jerry's <script>alert(1)</script>");
    const email = loginLinkEmail(
      store,
      { email: 'a@example.com', firstName: '<img src=x onerror=alert(1)>', language: 'en' },
      { url: LINK, managementUrl: MANAGE, ttlSeconds: 86_400 },
    );
    assert.ok(!email.html.includes('<script>'));
    assert.ok(!email.html.includes('<img src=x'));
    assert.ok(email.html.includes('Ben &#38; Jerry&#39;s &#60;script&#62;'));
    assert.ok(email.text.includes("Ben & Jerry's <script>"), 'the text body is plain text');

    await queue(ctx);
    const page = await (await ctx.app.request('/dev/outbox')).text();
    assert.ok(page.includes('Ben &#38; Jerry&#39;s &#60;script&#62;'));
    assert.ok(!page.includes('<script>'), 'the outbox escapes it too');
  });
});

describe('email configuration', () => {
  test('defaults: the local outbox, portal@localhost, the outbound stream', () => {
    assert.deepEqual(readEnv({}).email, { from: 'portal@localhost', postmark: null });
    assert.deepEqual(readEnv({ POSTMARK_SERVER_TOKEN: '', EMAIL_FROM: '' }).email, {
      from: 'portal@localhost',
      postmark: null,
    });
  });

  test('a server token selects Postmark; POSTMARK_API_HOST points the client elsewhere', () => {
    const token = 'pm-token-123';
    assert.deepEqual(readEnv({ POSTMARK_SERVER_TOKEN: token, EMAIL_FROM: 'hi@shop.example' }).email, {
      from: 'hi@shop.example',
      postmark: { serverToken: token, messageStream: 'outbound' },
    });
    const hosts: [string, string, boolean][] = [
      ['127.0.0.1:9025', '127.0.0.1:9025', false],
      ['localhost:9025', 'localhost:9025', false],
      ['http://mailfake:8025', 'mailfake:8025', false],
      ['https://postmark.internal/', 'postmark.internal', true],
      ['postmark.internal:8443', 'postmark.internal:8443', true],
    ];
    for (const [value, requestHost, useHttps] of hosts) {
      const { postmark } = readEnv({
        POSTMARK_SERVER_TOKEN: token,
        POSTMARK_API_HOST: value,
        POSTMARK_MESSAGE_STREAM: 'tx',
      }).email;
      assert.deepEqual(postmark, { serverToken: token, messageStream: 'tx', requestHost, useHttps }, value);
    }
  });

  test('fails fast on a bad host or address, and on Postmark in production without EMAIL_FROM', () => {
    const token = 'pm-secret-token-xyz';
    assert.throws(() => readEnv({ POSTMARK_API_HOST: 'host/with/path' }), /POSTMARK_API_HOST/);
    assert.throws(() => readEnv({ POSTMARK_API_HOST: 'ftp://host' }), /POSTMARK_API_HOST/);
    assert.throws(() => readEnv({ EMAIL_FROM: 'Shop <hi@shop.example>' }), /EMAIL_FROM/);
    assert.throws(
      () => readEnv({ NODE_ENV: 'production', POSTMARK_SERVER_TOKEN: token }),
      (error: Error) => {
        assert.match(error.message, /EMAIL_FROM: Required in production when POSTMARK_SERVER_TOKEN is set/);
        assert.ok(!error.message.includes(token));
        return true;
      },
    );
    assert.equal(
      readEnv({ NODE_ENV: 'production', POSTMARK_SERVER_TOKEN: token, EMAIL_FROM: 'hi@shop.example' }).email.from,
      'hi@shop.example',
    );
    assert.equal(readEnv({ NODE_ENV: 'production' }).email.postmark, null, 'the outbox is allowed, with a warning');
  });

  test('createMailer logs which mailer it chose, never the token, and warns about the outbox in production', () => {
    const token = 'pm-secret-token-xyz';
    const email = { from: 'hi@shop.example', postmark: { serverToken: token, messageStream: 'outbound' } };
    let logger = recordingLogger();
    assert.equal(createMailer({ production: true, email }, logger).name, 'postmark');
    assert.match(logger.lines.join('\n'), /Postmark/);
    assert.ok(!logger.lines.join('\n').includes(token));

    logger = recordingLogger();
    const warnings: string[] = [];
    assert.equal(
      createMailer(
        { production: true, email: { ...email, postmark: null } },
        { ...logger, warn: (message) => warnings.push(message) },
      ).name,
      'outbox',
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /POSTMARK_SERVER_TOKEN is not set/);

    logger = recordingLogger();
    createMailer(
      { production: false, outboxUrl: 'http://127.0.0.1:8787/dev/outbox', email: { ...email, postmark: null } },
      logger,
    );
    assert.match(logger.lines.join('\n'), /http:\/\/127\.0\.0\.1:8787\/dev\/outbox/);

    logger = recordingLogger();
    createMailer({ production: false, email: { ...email, postmark: null } }, logger);
    assert.match(logger.lines.join('\n'), /local outbox \(the emails table; its pages are not served\)/);
  });
});

describe('npm start (server/main.ts) sends email', () => {
  /** Queues an email straight into the server's database file, as a request would. */
  async function queueInto(databasePath: string, to: string): Promise<string> {
    const db = openDatabase(databasePath);
    try {
      return await queue({ db, clock: new FakeClock(new Date()) }, { to }, 'demo');
    } finally {
      db.$client.close();
    }
  }

  async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await read();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  test('through Postmark when a token is set, never printing the token, and shuts down cleanly', async (t) => {
    const fake = await fakePostmark(t);
    const databasePath = tempDatabasePath(t);
    const server = await startServer({
      DATABASE_PATH: databasePath,
      POSTMARK_SERVER_TOKEN: fake.token,
      POSTMARK_API_HOST: fake.host,
      EMAIL_FROM: 'hello@northwind.example',
    });
    t.after(() => server.stop());
    await queueInto(databasePath, 'e2e@example.com');
    // The demo store's seeded orders send their receipts too; find ours among them.
    const request = await waitFor(
      async () => fake.requests.find((r) => r.body.To === 'e2e@example.com'),
      'the email at Postmark',
    );
    assert.match(String(request.body.From), /<hello@northwind\.example>$/);
    assert.equal(await server.stop(), 0);
    assert.match(server.output(), /sending through Postmark/);
    assert.ok(!server.output().includes(fake.token));
  });

  test('into the local outbox by default, browsable at /dev/outbox.json', async (t) => {
    const databasePath = tempDatabasePath(t);
    const server = await startServer({ DATABASE_PATH: databasePath });
    t.after(() => server.stop());
    const id = await queueInto(databasePath, 'outbox-e2e@example.com');
    const sent = await waitFor(async () => {
      const list = (await (await fetch(`${server.url}/dev/outbox.json`)).json()) as { id: string; status: string }[];
      return list.find((e) => e.id === id && e.status === 'sent');
    }, 'the email to be sent');
    assert.equal(sent.id, id);
    assert.match(server.output(), /local outbox at http:\/\/127\.0\.0\.1:\d+\/dev\/outbox/);
    assert.equal(await server.stop(), 0);
  });

  test('warns when production runs on the local outbox, and has no /dev pages', async (t) => {
    const server = await startServer({
      DATABASE_PATH: tempDatabasePath(t),
      NODE_ENV: 'production',
      ALLOW_TEST_GATEWAY: 'true',
    });
    t.after(() => server.stop());
    assert.equal((await fetch(`${server.url}/dev/outbox.json`)).status, 404);
    await waitFor(
      async () => (/POSTMARK_SERVER_TOKEN is not set/.test(server.output()) ? true : undefined),
      'the warning',
    );
    assert.equal(await server.stop(), 0);
  });
});
