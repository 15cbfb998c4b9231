import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ContrastWarning, Palette } from '../../contract';
import { directionOf, messages, type Language } from '../../i18n';
import { escapeHtml, styleHashSource } from '../../lib/html';
import type { Theme } from '../../lib/theme';
import { projectPath } from '../../lib/project-root';

/** Where the editor's script is served from (the page's CSP allows scripts from this server only). */
export const EDITOR_SCRIPT_PATH = '/theme-editor/editor.js';

let script: { body: string; etag: string } | undefined;

/** The editor's browser script (editor.js beside this module's source, read on first use) and its ETag. */
export function editorScript(): { body: string; etag: string } {
  if (!script) {
    const body = readFileSync(projectPath('server/dev/theme-editor/editor.js'), 'utf8');
    script = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
  }
  return script;
}

type Words = Messages['pages']['themeEditor'];
type Messages = ReturnType<typeof messages>;

/**
 * The page's words in a language, each falling back to English on its own (a locale
 * that does not have the editor's words yet still shows a whole page). Placeholders
 * (`{{field}}`) are left for the page's script to fill.
 */
export function editorWords(language: Language): Words {
  const merge = (english: object, own: unknown): object =>
    Object.fromEntries(
      Object.entries(english).map(([key, value]) => {
        const mine = (own as Record<string, unknown> | undefined)?.[key];
        if (typeof value === 'string') return [key, typeof mine === 'string' && mine ? mine : value];
        return [key, merge(value as object, mine)];
      }),
    );
  const own = (messages(language).pages as { themeEditor?: unknown }).themeEditor;
  return merge(messages('en').pages.themeEditor, own) as Words;
}

/** The editor's layout: neutral chrome around the widget, whatever the theme being edited. */
export const EDITOR_CSS =
  ':root{color-scheme:light;--ink:#1f2937;--muted:#4b5563;--line:#d1d5db;--accent:#4338ca;--danger:#b42318;' +
  '--ok:#067647;--paper:#ffffff;--desk:#f3f4f6}' +
  '*,*::before,*::after{box-sizing:border-box}' +
  'body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--desk)}' +
  '.bar{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1rem;padding:.75rem 1.25rem;background:var(--paper);' +
  'border-bottom:1px solid var(--line)}' +
  'h1{font-size:1.25rem;margin:0}h2{font-size:1.05rem;margin:0}.store{margin:0;color:var(--muted)}' +
  '.layout{display:grid;grid-template-columns:minmax(20rem,30rem) minmax(0,1fr);gap:1.25rem;padding:1.25rem;align-items:start}' +
  '.preview{position:sticky;top:1rem}' +
  '@media (max-width:60rem){.layout{grid-template-columns:minmax(0,1fr)}.preview{position:static}}' +
  '.palette{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem}' +
  '.palette .field{display:flex;flex-direction:column}.palette .pair{margin-top:auto}' +
  'form,.preview{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem}' +
  '.intro,.hint{color:var(--muted)}.intro{margin:0 0 1rem}.hint{display:block;font-size:.85rem;margin:.1rem 0 .3rem}' +
  'fieldset{border:0;border-top:1px solid var(--line);margin:0 0 .5rem;padding:.75rem 0 0;min-width:0}' +
  'legend{font-weight:700;padding:0 .25rem 0 0}' +
  '.field{margin:0 0 .75rem}label{display:block;font-weight:600}' +
  'input[type=text],input[type=url],select{width:100%;font:inherit;padding:.45rem .6rem;border:1px solid #9ca3af;' +
  'border-radius:6px;background:#fff;color:var(--ink)}' +
  '.pair{display:flex;gap:.5rem;align-items:center}.pair input[type=text]{font-family:ui-monospace,Menlo,Consolas,monospace}' +
  'input[type=color]{inline-size:2.75rem;block-size:2.25rem;padding:2px;border:1px solid #9ca3af;border-radius:6px;' +
  'background:#fff;flex:none}' +
  'input[type=range]{width:100%;accent-color:var(--accent)}' +
  '.check{display:flex;gap:.5rem;align-items:center;margin:.25rem 0 .75rem}.check label{font-weight:500}' +
  '.check input{inline-size:1.1rem;block-size:1.1rem;accent-color:var(--accent)}' +
  'input[aria-invalid=true]{border-color:var(--danger);border-width:2px}' +
  '.error{margin:.25rem 0 0;color:var(--danger);font-size:.875rem;font-weight:600}' +
  ':focus-visible{outline:3px solid var(--accent);outline-offset:2px}' +
  '.contrast{margin:.5rem 0 1rem;padding:.75rem;border-radius:8px;background:var(--desk)}' +
  '.contrast ul{margin:.5rem 0 0;padding-inline-start:1.1rem}.contrast li{margin:0 0 .35rem}' +
  '.contrast .ok{margin:.5rem 0 0;color:var(--ok);font-weight:600}.contrast .warning{color:#7a2e0e}' +
  '.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}' +
  'button{font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:6px;cursor:pointer;min-height:40px}' +
  '.primary{background:var(--accent);color:#fff;border:1px solid var(--accent)}' +
  '.secondary{background:#fff;color:var(--ink);border:1px solid #6b7280}' +
  '#status{flex-basis:100%;margin:.25rem 0 0;min-height:1.5em}#status.failed{color:var(--danger);font-weight:600}' +
  '.preview-head{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}' +
  '.scheme{border:0;margin:0;padding:0;display:flex;gap:.75rem;align-items:center}.scheme legend{float:left;padding:0 .25rem 0 0;font-weight:600}' +
  '.scheme label{display:flex;gap:.3rem;align-items:center;font-weight:500}' +
  '.stage{margin-top:.75rem;padding:1rem;border-radius:8px;border:1px dashed var(--line);background:' +
  'repeating-conic-gradient(#f9fafb 0 25%,#ffffff 0 50%) 0 0/24px 24px}' +
  'account-portal{display:block;min-height:32rem}[hidden]{display:none!important}';

/** The page's Content Security Policy: its script and the widget from this server, its one style by hash, no frames. */
export function editorPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${styleHashSource(EDITOR_CSS)}`,
    "connect-src 'self'",
    // The logo being tried is any https image.
    "img-src 'self' https: data:",
    "font-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
const dataBlock = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

const hexField = (id: string, label: string, hint: string, picker: string) =>
  `<div class="field colour"><label for="${id}">${escapeHtml(label)}</label>` +
  `<span class="hint" id="${id}-hint">${escapeHtml(hint)}</span>` +
  `<div class="pair"><input type="color" id="${id}-picker" aria-label="${escapeHtml(picker)}">` +
  `<input type="text" id="${id}" spellcheck="false" autocomplete="off" maxlength="7" ` +
  `aria-describedby="${id}-hint hex-hint ${id}-error"></div><p class="error" id="${id}-error" hidden></p></div>`;

const paletteFields = ['primaryColor', 'textColor', 'backgroundColor', 'surfaceColor'] as const;

function palette(words: Words, dark: boolean): string {
  const hints: Record<(typeof paletteFields)[number], string> = {
    primaryColor: words.primaryHint,
    textColor: words.textHint,
    backgroundColor: words.backgroundHint,
    surfaceColor: words.surfaceHint,
  };
  const fields = paletteFields
    .map((field) => {
      const name = dark ? words.darkField.replace('{{field}}', words[field]) : words[field];
      return hexField(dark ? `dark-${field}` : field, name, hints[field], words.picker.replace('{{field}}', name));
    })
    .join('');
  return `<div class="palette">${fields}</div>`;
}

const textField = (id: string, type: string, label: string, hint: string, extra = '') =>
  `<div class="field"><label for="${id}">${escapeHtml(label)}</label>` +
  `<span class="hint" id="${id}-hint">${escapeHtml(hint)}</span>` +
  `<input type="${type}" id="${id}" spellcheck="false" autocomplete="off" aria-describedby="${id}-hint ${id}-error"${extra}>` +
  `<p class="error" id="${id}-error" hidden></p></div>`;

/** Font lists a merchant is likely to want; any other is typed in. */
const fontSuggestions = [
  'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  'Inter, system-ui, sans-serif',
  '"Helvetica Neue", Arial, sans-serif',
  'Georgia, "Times New Roman", serif',
  '"Source Sans 3", system-ui, sans-serif',
  'ui-rounded, "SF Pro Rounded", system-ui, sans-serif',
];

function form(words: Words): string {
  const scheme = (value: string, label: string) => `<option value="${value}">${escapeHtml(label)}</option>`;
  return (
    `<form id="editor" novalidate><p class="intro">${escapeHtml(words.intro)}</p>` +
    `<fieldset><legend>${escapeHtml(words.colours)}</legend>` +
    `<p class="hint" id="hex-hint">${escapeHtml(words.hexHint)}</p>${palette(words, false)}</fieldset>` +
    `<section class="contrast" aria-labelledby="contrast-title"><h2 id="contrast-title">${escapeHtml(words.contrast)}</h2>` +
    '<div id="warnings" aria-live="polite"></div></section>' +
    `<fieldset><legend>${escapeHtml(words.dark)}</legend><p class="hint">${escapeHtml(words.darkIntro)}</p>` +
    `<div class="check"><input type="checkbox" id="dark-own"><label for="dark-own">${escapeHtml(words.darkOwn)}</label></div>` +
    `<div id="dark-fields" hidden>${palette(words, true)}</div>` +
    `<div class="field"><label for="colorScheme">${escapeHtml(words.colorScheme)}</label><select id="colorScheme">` +
    scheme('auto', words.schemeAuto) +
    scheme('light', words.schemeLight) +
    scheme('dark', words.schemeDark) +
    '</select></div></fieldset>' +
    `<fieldset><legend>${escapeHtml(words.type)}</legend>` +
    textField('fontFamily', 'text', words.fontFamily, words.fontHint, ' list="font-list" maxlength="200"') +
    `<datalist id="font-list">${fontSuggestions.map((f) => `<option value="${escapeHtml(f)}"></option>`).join('')}</datalist>` +
    `<div class="field"><label for="radius">${escapeHtml(words.radius)}</label>` +
    '<input type="range" id="radius" min="0" max="32" step="1" aria-describedby="radius-value">' +
    '<output id="radius-value" for="radius"></output></div>' +
    textField('logoUrl', 'url', words.logoUrl, words.logoHint, ' maxlength="2048" placeholder="https://"') +
    '</fieldset>' +
    `<div class="actions"><button type="submit" id="save" class="primary">${escapeHtml(words.save)}</button>` +
    `<button type="button" id="discard" class="secondary">${escapeHtml(words.discard)}</button>` +
    '<p id="status" role="status"></p></div></form>'
  );
}

function preview(words: Words, previewStore: string, previewBase: string): string {
  const radio = (value: string, label: string) =>
    `<label><input type="radio" name="preview-scheme" id="preview-${value}" value="${value}">${escapeHtml(label)}</label>`;
  return (
    '<section class="preview" aria-labelledby="preview-title"><div class="preview-head">' +
    `<h2 id="preview-title">${escapeHtml(words.preview)}</h2>` +
    `<fieldset class="scheme"><legend>${escapeHtml(words.previewScheme)}</legend>` +
    `${radio('light', words.previewLight)}${radio('dark', words.previewDark)}</fieldset></div>` +
    `<p class="hint">${escapeHtml(words.previewIntro)}</p>` +
    `<div class="stage"><account-portal store="${escapeHtml(previewStore)}" api-base="${escapeHtml(previewBase)}" ` +
    'no-hash-routing route="/orders">' +
    '</account-portal></div></section>'
  );
}

/** What the page's script starts from. */
export interface EditorData {
  store: { id: string; name: string };
  /** The portal's theme in effect now (stored, the default checkout's or built in). */
  theme: Theme;
  warnings: ContrastWarning[];
  /** The built-in dark palette for the theme's primary colour: where "Use my own dark palette" starts. */
  builtInDark: Palette;
  preview: { base: string; store: string; authUrl: string };
  language: Language;
}

/** The editor page: the form, the contrast warnings, the preview, its data and its scripts. */
export function renderEditorPage(data: EditorData): string {
  const words = editorWords(data.language);
  const body =
    `<header class="bar"><h1>${escapeHtml(words.title)}</h1>` +
    `<p class="store">${escapeHtml(data.store.name)} · <code>${escapeHtml(data.store.id)}</code></p></header>` +
    `<noscript><p class="intro">${escapeHtml(words.noscript)}</p></noscript>` +
    `<main class="layout">${form(words)}${preview(words, data.preview.store, data.preview.base)}</main>` +
    `<script type="application/json" id="editor-data">${dataBlock({ ...data, words })}</script>` +
    '<script type="module" src="/widget/account-portal.js"></script>' +
    `<script type="module" src="${EDITOR_SCRIPT_PATH}"></script>`;
  return (
    `<!doctype html><html lang="${data.language}" dir="${directionOf(data.language)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">' +
    `<title>${escapeHtml(`${words.title} · ${data.store.name}`)}</title><style>${EDITOR_CSS}</style></head>` +
    `<body>${body}</body></html>`
  );
}
