import { linksIn } from '../email/outbox';
import type { EmailAttachmentRow, EmailRow } from '../db/schema';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2937}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{font-size:13px;color:#6b7280}a{color:#4338ca;word-break:break-all}.muted{color:#6b7280}
pre{white-space:pre-wrap;background:#f8fafc;padding:1rem;border-radius:6px}
iframe{width:100%;height:640px;border:1px solid #e5e7eb;border-radius:6px}`;

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

function linkList(text: string | null): string {
  const links = linksIn(text);
  if (links.length === 0) return text === null ? '<span class="muted">bodies cleared</span>' : '';
  return links.map((url) => `<a href="${escape(url)}" rel="noreferrer">${escape(url)}</a>`).join('<br>');
}

function attachmentList(
  row: EmailRow,
  files: Omit<EmailAttachmentRow, 'content' | 'document'>[],
  basePath: string,
): string {
  if (files.length === 0) return '<span class="muted">none</span>';
  return files
    .map(
      (f) =>
        `<a href="${escape(`${basePath}/${row.id}/attachments/${f.id}`)}">${escape(f.name)}</a> ` +
        `<span class="muted">${escape(f.contentType)}, ${
          f.size === null ? 'rendered when the email is sent' : `${f.size.toLocaleString('en')} bytes`
        }</span>`,
    )
    .join('<br>');
}

/** The outbox list: one row per email, newest first, with its links clickable. */
export function outboxListPage(rows: EmailRow[], basePath: string): string {
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escape(row.createdAt.toISOString())}</td><td>${escape(row.toAddress)}</td>` +
        `<td><a href="${escape(`${basePath}/${row.id}`)}">${escape(row.subject)}</a></td>` +
        `<td>${escape(row.kind)}</td><td>${escape(row.status)}</td><td>${linkList(row.textBody)}</td></tr>`,
    )
    .join('');
  const table =
    rows.length === 0
      ? '<p class="muted">No emails yet.</p>'
      : `<table><thead><tr><th>Time (UTC)</th><th>To</th><th>Subject</th><th>Kind</th><th>Status</th><th>Links</th></tr></thead>` +
        `<tbody>${body}</tbody></table>`;
  return page(
    'Outbox',
    `<h1>Outbox</h1><p class="muted">Emails the portal has queued, newest first. ` +
      `<a href="${escape(`${basePath}.json`)}">JSON</a></p>${table}`,
  );
}

/** One email: its details, links, HTML body (in a sandboxed frame) and text body. */
export function outboxEmailPage(
  row: EmailRow,
  basePath: string,
  htmlPath: string,
  attachments: Omit<EmailAttachmentRow, 'content' | 'document'>[] = [],
): string {
  const facts: [string, string][] = [
    ['To', row.toAddress],
    ['From', row.fromName],
    ['Kind', row.kind],
    ['Language', row.language],
    ['Status', row.status],
    ['Queued', row.createdAt.toISOString()],
    ['Sent', row.sentAt?.toISOString() ?? '—'],
  ];
  const html =
    row.htmlBody === null
      ? '<p class="muted">The bodies were cleared: sent through a provider, or their sign-in links expired.</p>'
      : `<iframe src="${escape(htmlPath)}" title="HTML body" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>`;
  return page(
    row.subject,
    `<p><a href="${escape(basePath)}">← Outbox</a></p><h1>${escape(row.subject)}</h1>` +
      `<table>${facts.map(([k, v]) => `<tr><th>${k}</th><td>${escape(v)}</td></tr>`).join('')}` +
      `<tr><th>Links</th><td>${linkList(row.textBody)}</td></tr>` +
      `<tr><th>Attachments</th><td>${attachmentList(row, attachments, basePath)}</td></tr></table>` +
      `<h2>HTML</h2>${html}<h2>Text</h2><pre>${escape(row.textBody ?? '')}</pre>`,
  );
}
