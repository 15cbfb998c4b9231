import type { TFunction } from 'i18next';
import type { Theme } from '../lib/theme';
import { directionOf, pickLanguage } from '../i18n';

/** What an email says, independent of how it is laid out. */
export interface EmailContent {
  subject: string;
  /** The line mail clients show after the subject. */
  preheader: string;
  /** The recipient's first name, when known. */
  name: string | null;
  heading: string;
  paragraphs: string[];
  button?: { label: string; url: string };
  /** Lines after the button: expiry, "ignore this if…". */
  notes: string[];
  /** Extra blocks such as the management URL, each with an optional link. */
  sections: { title: string; body: string; url?: string }[];
}

/** The store's look, from its checkout theme. */
export interface Branding {
  storeName: string;
  supportEmail: string | null;
  theme: Theme;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Renders content into a branded HTML body and an equivalent plain-text body. */
export function renderEmail(content: EmailContent, branding: Branding, t: TFunction, language: string): RenderedEmail {
  // Translated once for both bodies.
  const framing: Framing = { greeting: greeting(content, t), footer: footerLines(branding, t) };
  return {
    subject: content.subject,
    text: renderText(content, branding, framing),
    html: renderHtml(content, branding, t, language, framing),
  };
}

/** The greeting and footer lines both bodies show. */
interface Framing {
  greeting: string;
  footer: string[];
}

function greeting(content: EmailContent, t: TFunction): string {
  return content.name ? t('email.greeting', { name: content.name }) : t('email.greetingAnonymous');
}

function footerLines(branding: Branding, t: TFunction): string[] {
  const lines = [t('email.footer', { store: branding.storeName })];
  if (branding.supportEmail) lines.push(t('email.support', { email: branding.supportEmail }));
  return lines;
}

function renderText(content: EmailContent, branding: Branding, framing: Framing): string {
  const blocks = [framing.greeting, content.heading, ...content.paragraphs];
  if (content.button) blocks.push(`${content.button.label}: ${content.button.url}`);
  blocks.push(...content.notes);
  for (const section of content.sections)
    blocks.push([section.title, section.body, section.url].filter(Boolean).join('\n'));
  blocks.push(`— ${branding.storeName}`, framing.footer.join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function renderHtml(
  content: EmailContent,
  branding: Branding,
  t: TFunction,
  language: string,
  framing: Framing,
): string {
  const { theme } = branding;
  const font = escape(theme.fontFamily);
  // Set on the document and again on the content table: some email clients drop the <html> element's attributes.
  const dir = directionOf(pickLanguage(language));
  const p = (text: string, style = '') =>
    `<p style="margin:0 0 16px;font-size:16px;line-height:24px;${style}">${escape(text)}</p>`;
  const button = content.button
    ? `<table role="presentation" cellspacing="0" cellpadding="0" style="margin:8px 0 24px"><tr>` +
      `<td style="border-radius:${theme.radius}px;background:${theme.primaryColor}">` +
      `<a href="${escape(content.button.url)}" style="display:inline-block;padding:12px 24px;font-size:16px;` +
      `font-weight:600;color:#ffffff;text-decoration:none;border-radius:${theme.radius}px">${escape(content.button.label)}</a>` +
      `</td></tr></table>` +
      p(t('email.buttonFallback'), 'font-size:13px;line-height:20px;color:#6b7280') +
      `<p style="margin:0 0 16px;font-size:13px;line-height:20px;word-break:break-all">` +
      `<a href="${escape(content.button.url)}" style="color:${theme.primaryColor}">${escape(content.button.url)}</a></p>`
    : '';
  const sections = content.sections
    .map(
      (s) =>
        `<div style="margin:24px 0 0;padding:16px;border-radius:${theme.radius}px;background:${theme.surfaceColor}">` +
        `<p style="margin:0 0 8px;font-size:15px;font-weight:600">${escape(s.title)}</p>` +
        `<p style="margin:0;font-size:14px;line-height:22px;white-space:pre-line">${escape(s.body)}</p>` +
        (s.url
          ? `<p style="margin:8px 0 0;font-size:13px;word-break:break-all"><a href="${escape(s.url)}" style="color:${theme.primaryColor}">${escape(s.url)}</a></p>`
          : '') +
        `</div>`,
    )
    .join('');
  const logo = theme.logoUrl
    ? `<img src="${escape(theme.logoUrl)}" alt="${escape(branding.storeName)}" height="40" style="display:block;height:40px;max-width:200px;border:0">`
    : `<span style="font-size:20px;font-weight:700;color:${theme.primaryColor}">${escape(branding.storeName)}</span>`;
  return (
    `<!doctype html><html lang="${escape(language)}" dir="${dir}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(content.subject)}</title></head>` +
    `<body style="margin:0;padding:0;background:${theme.surfaceColor};color:${theme.textColor};font-family:${font}">` +
    `<div style="display:none;max-height:0;overflow:hidden">${escape(content.preheader)}</div>` +
    `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:${theme.surfaceColor}"><tr><td align="center" style="padding:32px 16px">` +
    `<table role="presentation" dir="${dir}" width="100%" cellspacing="0" cellpadding="0" style="max-width:560px;background:${theme.backgroundColor};border-radius:${theme.radius}px">` +
    `<tr><td style="padding:32px 32px 8px">${logo}</td></tr>` +
    `<tr><td style="padding:16px 32px 32px;font-family:${font};color:${theme.textColor}">` +
    p(framing.greeting) +
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px">${escape(content.heading)}</h1>` +
    content.paragraphs.map((text) => p(text)).join('') +
    button +
    content.notes.map((text) => p(text, 'font-size:14px;line-height:22px;color:#6b7280')).join('') +
    sections +
    `</td></tr></table>` +
    `<p style="margin:16px 0 0;font-size:12px;line-height:18px;color:#6b7280;font-family:${font}">` +
    framing.footer.map(escape).join('<br>') +
    `</p>` +
    `</td></tr></table></body></html>`
  );
}
