// @ts-check
/**
 * The theme editor's script, a module. It fills the form from the page's data block,
 * shows every change at once in the real widget beside it (its `theme` property, so
 * the widget derives its colours exactly as it will for customers), asks the server
 * for the contrast warnings and field problems of the theme being edited
 * (`POST /theme-editor/check`: server/contract/contrast.ts is the one home of that
 * rule), and saves with the Server API's own `PUT /api/checkouts/portal` — the
 * browser sends the Server API credentials it was given for this page.
 */

/** @typedef {{ primaryColor: string, textColor: string, backgroundColor: string, surfaceColor: string }} Palette */
/**
 * @typedef {Palette & { fontFamily: string, radius: number, logoUrl: string | null, dark: Palette | null,
 *   colorScheme?: 'auto' | 'light' | 'dark' }} Theme
 */
/**
 * @typedef {{ code: 'primary_adjusted' | 'text_contrast', field: string, against: string, ratio: number,
 *   required: number, replacement: string | null }} Warning
 */
/** @typedef {{ field: string, message: string }} FieldProblem */

const data = JSON.parse(document.getElementById('editor-data')?.textContent || '{}');
/** @type {Record<string, any>} */
const words = data.words;
const palette = /** @type {const} */ (['primaryColor', 'textColor', 'backgroundColor', 'surfaceColor']);
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

const element = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const form = /** @type {HTMLFormElement} */ (element('editor'));
const status = element('status');
const warningsBox = element('warnings');
const darkOwn = input('dark-own');
const darkFields = element('dark-fields');
const scheme = /** @type {HTMLSelectElement} */ (document.getElementById('colorScheme'));
const portal = /** @type {HTMLElement & { authUrl: string, theme: Theme | null }} */ (
  document.querySelector('account-portal')
);

/** @type {Theme} */
let saved = data.theme;
/** @type {Palette} */
let builtInDark = data.builtInDark;
/** Which scheme the preview shows while the theme follows the customer's preference. */
let previewScheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
let dirty = false;

/** `{{name}}` placeholders filled in. */
const fill = (/** @type {string} */ text, /** @type {Record<string, string>} */ values) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? '');

/** `#rgb` as `#rrggbb`, which a colour picker needs. */
const long = (/** @type {string} */ hex) =>
  (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex).toLowerCase();

const idOf = (/** @type {string} */ field) => field.replace('.', '-');

/** A theme field's name as the form shows it: `dark.textColor` is "Dark Text". */
function label(/** @type {string} */ field) {
  const [first, second] = field.split('.');
  return second ? fill(words.darkField, { field: words[second] }) : words[first];
}

// ---- the form and the theme ----

function setColour(/** @type {string} */ id, /** @type {string} */ value) {
  input(id).value = value;
  if (HEX.test(value)) input(`${id}-picker`).value = long(value);
}

/** Shows a theme in the form. */
function show(/** @type {Theme} */ theme) {
  for (const field of palette) setColour(field, theme[field]);
  const dark = theme.dark ?? builtInDark;
  for (const field of palette) setColour(`dark-${field}`, dark[field]);
  darkOwn.checked = theme.dark !== null;
  darkFields.hidden = !darkOwn.checked;
  scheme.value = theme.colorScheme ?? 'auto';
  input('fontFamily').value = theme.fontFamily;
  input('radius').value = String(theme.radius);
  input('logoUrl').value = theme.logoUrl ?? '';
  showRadius();
}

function showRadius() {
  element('radius-value').textContent = fill(words.radiusValue, { value: input('radius').value });
}

/** The theme the form holds now. */
function draft() {
  const paletteOf = (/** @type {string} */ prefix) =>
    /** @type {Palette} */ (
      Object.fromEntries(palette.map((field) => [field, input(`${prefix}${field}`).value.trim()]))
    );
  return /** @type {Theme} */ ({
    ...paletteOf(''),
    fontFamily: input('fontFamily').value.trim(),
    radius: Number(input('radius').value),
    logoUrl: input('logoUrl').value.trim() || null,
    dark: darkOwn.checked ? paletteOf('dark-') : null,
    colorScheme: /** @type {Theme['colorScheme']} */ (scheme.value),
  });
}

/** Whether the widget can show a theme as it is (a colour half typed is not shown). */
function showable(/** @type {Theme} */ theme) {
  const palettes = theme.dark ? [theme, theme.dark] : [theme];
  return palettes.every((p) => palette.every((field) => HEX.test(p[field])));
}

/** Shows the form's theme in the widget, in the scheme the preview is set to. */
function preview() {
  const theme = draft();
  const fixed = theme.colorScheme && theme.colorScheme !== 'auto' ? theme.colorScheme : null;
  const shown = fixed ?? previewScheme;
  for (const value of ['light', 'dark']) {
    const radio = input(`preview-${value}`);
    radio.checked = value === shown;
    radio.disabled = fixed !== null;
  }
  if (!showable(theme)) return;
  const logoUrl = theme.logoUrl && /^https:\/\/[^\s]+$/.test(theme.logoUrl) ? theme.logoUrl : null;
  portal.theme = { ...theme, logoUrl, colorScheme: /** @type {'light' | 'dark'} */ (shown) };
}

// ---- what the server says ----

/** Marks the fields the server found wrong (422), clears the others. */
function showProblems(/** @type {FieldProblem[]} */ problems) {
  for (const error of form.querySelectorAll('.error')) {
    const id = error.id.replace(/-error$/, '');
    const problem = problems.find((p) => idOf(p.field) === id);
    error.textContent = problem ? problem.message : '';
    /** @type {HTMLElement} */ (error).hidden = !problem;
    document.getElementById(id)?.setAttribute('aria-invalid', problem ? 'true' : 'false');
  }
}

/** The value of a theme field in the form (`dark.surfaceColor` included). */
const valueOf = (/** @type {string} */ field) => input(idOf(field)).value;

/** Lists the contrast warnings, in the page's language, or says that every colour passes. */
function showWarnings(/** @type {Warning[]} */ warnings) {
  const number = new Intl.NumberFormat(data.language, { maximumFractionDigits: 2 });
  if (warnings.length === 0) {
    const ok = document.createElement('p');
    ok.className = 'ok';
    ok.textContent = words.contrastOk;
    warningsBox.replaceChildren(ok);
    return;
  }
  const list = document.createElement('ul');
  for (const warning of warnings) {
    const item = document.createElement('li');
    item.className = 'warning';
    item.dataset.code = warning.code;
    item.dataset.field = warning.field;
    item.textContent = fill(words.warning[warning.code], {
      field: label(warning.field),
      colour: valueOf(warning.field),
      against: `${label(warning.against)} ${valueOf(warning.against)}`,
      ratio: number.format(warning.ratio),
      required: number.format(warning.required),
      replacement: warning.replacement ?? '',
    });
    list.append(item);
  }
  warningsBox.replaceChildren(list);
}

let checking = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/** Asks the server about the form's theme a moment after the last change; only the newest answer counts. */
function scheduleCheck() {
  clearTimeout(timer);
  timer = setTimeout(() => void check(), 150);
}

async function check() {
  const asked = ++checking;
  try {
    const response = await fetch('/theme-editor/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
      credentials: 'same-origin',
    });
    if (asked !== checking) return;
    const body = await response.json();
    if (response.ok) {
      builtInDark = body.builtInDark;
      showProblems([]);
      showWarnings(body.warnings);
    } else if (response.status === 422) {
      showProblems(body.error.details ?? []);
    } else {
      warningsBox.textContent = words.checkFailed;
    }
  } catch {
    if (asked === checking) warningsBox.textContent = words.checkFailed;
  }
}

function say(/** @type {string} */ text, failed = false) {
  status.textContent = text;
  status.classList.toggle('failed', failed);
}

function changed() {
  if (!dirty) say(words.unsaved);
  dirty = true;
  preview();
  scheduleCheck();
}

// ---- wiring ----

for (const prefix of ['', 'dark-']) {
  for (const field of palette) {
    const id = `${prefix}${field}`;
    input(`${id}-picker`).addEventListener('input', () => {
      input(id).value = input(`${id}-picker`).value;
      changed();
    });
    input(id).addEventListener('input', () => {
      const value = input(id).value.trim();
      if (HEX.test(value)) input(`${id}-picker`).value = long(value);
      changed();
    });
  }
}
darkOwn.addEventListener('change', () => {
  // Your own dark palette starts from the built-in one for your primary colour.
  if (darkOwn.checked) for (const field of palette) setColour(`dark-${field}`, builtInDark[field]);
  darkFields.hidden = !darkOwn.checked;
  changed();
});
scheme.addEventListener('change', changed);
input('fontFamily').addEventListener('input', changed);
input('logoUrl').addEventListener('input', changed);
input('radius').addEventListener('input', () => {
  showRadius();
  changed();
});
for (const value of ['light', 'dark']) {
  input(`preview-${value}`).addEventListener('change', () => {
    previewScheme = value;
    preview();
  });
}

element('discard').addEventListener('click', () => {
  show(saved);
  dirty = false;
  showProblems([]);
  preview();
  scheduleCheck();
  say(words.discarded);
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const save = /** @type {HTMLButtonElement} */ (element('save'));
  if (save.getAttribute('aria-disabled') === 'true') return;
  save.setAttribute('aria-disabled', 'true');
  save.textContent = words.saving;
  try {
    const response = await fetch('/api/checkouts/portal', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(draft()),
      credentials: 'same-origin',
    });
    const body = await response.json();
    if (response.ok) {
      saved = body.theme;
      dirty = false;
      showProblems([]);
      showWarnings(body.warnings);
      say(words.saved);
    } else if (response.status === 422) {
      showProblems(body.error.details ?? []);
      say(words.fixFields, true);
      form.querySelector('[aria-invalid="true"]')?.closest('.field')?.querySelector('input')?.focus();
    } else {
      say(words.failed, true);
    }
  } catch {
    say(words.failed, true);
  } finally {
    save.removeAttribute('aria-disabled');
    save.textContent = words.save;
  }
});

show(saved);
showWarnings(data.warnings);
portal.authUrl = data.preview.authUrl;
preview();
