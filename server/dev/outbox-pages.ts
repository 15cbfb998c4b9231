import { linksIn } from '../email/outbox';
import type { EmailAttachmentRow, EmailRow } from '../db/schema';
import { directionOf, messages, type Language, type Messages } from '../i18n';

type Words = Messages['pages']['outbox'];

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2937}
table{border-collapse:collapse;width:100%}th,td{text-align:start;padding:.4rem .6rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{font-size:13px;color:#6b7280}a{color:#4338ca;word-break:break-all}.muted{color:#6b7280}
pre{white-space:pre-wrap;background:#f8fafc;padding:1rem;border-radius:6px}
iframe{width:100%;height:640px;border:1px solid #e5e7eb;border-radius:6px}`;

function page(language: Language, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${language}" dir="${directionOf(language)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

function linkList(text: string | null, words: Words): string {
  const links = linksIn(text);
  if (links.length === 0) return text === null ? `<span class="muted">${escape(words.bodiesClearedShort)}</span>` : '';
  return links.map((url) => `<a href="${escape(url)}" rel="noreferrer">${escape(url)}</a>`).join('<br>');
}

function attachmentList(
  row: EmailRow,
  files: Omit<EmailAttachmentRow, 'content' | 'document'>[],
  basePath: string,
  language: Language,
): string {
  if (files.length === 0) return '<span class="muted">—</span>';
  const bytes = new Intl.NumberFormat(language, { style: 'unit', unit: 'byte', unitDisplay: 'long' });
  return files
    .map(
      (f) =>
        `<a href="${escape(`${basePath}/${row.id}/attachments/${f.id}`)}">${escape(f.name)}</a> ` +
        `<span class="muted">${escape(f.contentType)}, ${
          // Not rendered yet: documents are rendered when the email is sent.
          f.size === null ? '…' : bytes.format(f.size)
        }</span>`,
    )
    .join('<br>');
}

/** The outbox list: one row per email, newest first, with its links clickable. */
export function outboxListPage(rows: EmailRow[], basePath: string, language: Language): string {
  const words = messages(language).pages.outbox;
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escape(row.createdAt.toISOString())}</td><td>${escape(row.toAddress)}</td>` +
        `<td><a href="${escape(`${basePath}/${row.id}`)}">${escape(row.subject)}</a></td>` +
        `<td>${escape(row.kind)}</td><td>${escape(row.status)}</td><td>${linkList(row.textBody, words)}</td></tr>`,
    )
    .join('');
  const table =
    rows.length === 0
      ? `<p class="muted">${escape(words.empty)}</p>`
      : `<table><thead><tr>${[words.time, words.to, words.subject, words.kind, words.status, words.links]
          .map((heading) => `<th>${escape(heading)}</th>`)
          .join('')}</tr></thead><tbody>${body}</tbody></table>`;
  return page(
    language,
    words.title,
    `<h1>${escape(words.title)}</h1><p class="muted">${escape(words.intro)} ` +
      `<a href="${escape(`${basePath}.json`)}">JSON</a></p>${table}`,
  );
}

/** One email: its details, links, HTML body (in a sandboxed frame) and text body. */
export function outboxEmailPage(
  row: EmailRow,
  basePath: string,
  htmlPath: string,
  attachments: Omit<EmailAttachmentRow, 'content' | 'document'>[] = [],
  language: Language = 'en',
): string {
  const words = messages(language).pages.outbox;
  const facts: [string, string][] = [
    [words.to, row.toAddress],
    [words.from, row.fromName],
    [words.kind, row.kind],
    [words.language, row.language],
    [words.status, row.status],
    [words.queued, row.createdAt.toISOString()],
    [words.sent, row.sentAt?.toISOString() ?? '—'],
  ];
  const html =
    row.htmlBody === null
      ? `<p class="muted">${escape(words.bodiesCleared)}</p>`
      : `<iframe src="${escape(htmlPath)}" title="${escape(words.htmlFrameTitle)}" ` +
        'sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>';
  return page(
    language,
    row.subject,
    `<p><a href="${escape(basePath)}">${directionOf(language) === 'rtl' ? '→' : '←'} ${escape(words.title)}</a></p><h1>${escape(row.subject)}</h1>` +
      `<table>${facts.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('')}` +
      `<tr><th>${escape(words.links)}</th><td>${linkList(row.textBody, words)}</td></tr>` +
      `<tr><th>${escape(words.attachments)}</th><td>${attachmentList(row, attachments, basePath, language)}</td></tr></table>` +
      `<h2>${escape(words.htmlHeading)}</h2>${html}<h2>${escape(words.textHeading)}</h2><pre>${escape(row.textBody ?? '')}</pre>`,
  );
}
