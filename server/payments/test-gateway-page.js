// @ts-check
/**
 * The test gateway's setup page script, a module (nothing of it lands in the
 * page's global scope). It runs inside the iframe the widget opens, validates
 * the card the customer types and turns it into a test token here, in the
 * browser: the card number and security code are never sent
 * anywhere (the form is never submitted and its fields have no names; the page's
 * CSP allows no network connections). Only the token, brand and last four digits
 * go to the parent window, and only to an origin the page lists as allowed.
 *
 * Messages to the parent (targetOrigin = the parent's origin):
 *   { type: 'ap-payment-method', setupId, token, brand, last4 }
 *   { type: 'ap-payment-method-cancel', setupId }
 *   { type: 'ap-payment-method-resize', setupId, height }
 * Messages it accepts from the parent (same origin only):
 *   { type: 'ap-payment-method-error', setupId, message }   shows why saving failed; the form is usable again.
 */
/** @typedef {{ number: string, brand: string, behaviour: string }} TestCard */
/** @typedef {{ setupId: string, parentOrigins: string[], cards: TestCard[], messages: Record<string, string> }} SetupData */

/** @type {SetupData} */
const data = JSON.parse(document.getElementById('setup-data')?.textContent || '{}');
const words = data.messages;
const form = /** @type {HTMLFormElement} */ (document.getElementById('card-form'));
const alertBox = /** @type {HTMLElement} */ (document.getElementById('form-alert'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const fields = { number: input('card-number'), expiry: input('card-expiry'), cvc: input('card-cvc') };

/**
 * The parent window's origin, if it is one the setup allows: the browser's own
 * record of the embedding origin where it has one, else the `parent` query
 * parameter or the referrer. postMessage with this target origin is delivered
 * only if the parent really has it, so a wrong guess reaches nobody.
 */
function parentOrigin() {
  if (window.parent === window) return null;
  const ancestors = location.ancestorOrigins;
  const candidates = ancestors && ancestors.length > 0 ? [ancestors[0]]
    : [new URLSearchParams(location.search).get('parent'), originOf(document.referrer)];
  return candidates.find((origin) => origin && data.parentOrigins.includes(origin)) || null;
}

/** The origin of a URL, or null for an empty or malformed one. */
function originOf(/** @type {string} */ url) {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

const target = parentOrigin();

/** Sends a message to the parent window, at its verified origin only. */
function post(/** @type {Record<string, unknown>} */ message) {
  if (target) window.parent.postMessage({ ...message, setupId: data.setupId }, target);
}

/** The card's brand from its leading digits, with the lengths it comes in; null when unknown. */
function detectBrand(/** @type {string} */ digits) {
  const first4 = Number(digits.slice(0, 4));
  if (/^3[47]/.test(digits)) return { brand: 'amex', lengths: [15], cvc: 4 };
  if (/^4/.test(digits)) return { brand: 'visa', lengths: [13, 16, 19], cvc: 3 };
  if (/^5[1-5]/.test(digits) || (first4 >= 2221 && first4 <= 2720)) return { brand: 'mastercard', lengths: [16], cvc: 3 };
  if (/^(6011|65|64[4-9])/.test(digits)) return { brand: 'discover', lengths: [16, 17, 18, 19], cvc: 3 };
  if (/^35(2[89]|[3-8])/.test(digits)) return { brand: 'jcb', lengths: [16, 17, 18, 19], cvc: 3 };
  if (/^3(0[0-5]|[689])/.test(digits)) return { brand: 'diners', lengths: [14, 15, 16, 17, 18, 19], cvc: 3 };
  if (/^62/.test(digits)) return { brand: 'unionpay', lengths: [16, 17, 18, 19], cvc: 3 };
  return null;
}

/** The Luhn checksum every card number carries. */
function luhnValid(/** @type {string} */ digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Checks the card number: the digits and brand, or the error to show. */
function checkNumber(/** @type {string} */ value) {
  const digits = value.replace(/[\s-]/g, '');
  if (digits === '') return { error: words.numberRequired };
  const brand = /^\d+$/.test(digits) ? detectBrand(digits) : null;
  if (!brand || !brand.lengths.includes(digits.length) || !luhnValid(digits)) return { error: words.numberInvalid };
  return { digits, ...brand };
}

/** Checks MM/YY (or MM/YYYY): the month and four-digit year, or the error to show. A card works through its month's last day. */
function checkExpiry(/** @type {string} */ value) {
  const trimmed = value.replace(/\s/g, '');
  if (trimmed === '') return { error: words.expiryRequired };
  const match = /^(\d{1,2})\/?(\d{2}|\d{4})$/.exec(trimmed);
  const month = match ? Number(match[1]) : 0;
  if (!match || month < 1 || month > 12) return { error: words.expiryInvalid };
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (Date.UTC(year, month, 1) <= Date.now()) return { error: words.expiryPast };
  return { month, year };
}

/** Checks the security code against the brand's length (4 digits for American Express, else 3). */
function checkCvc(/** @type {string} */ value, /** @type {number} */ length) {
  const digits = value.trim();
  if (digits === '') return { error: words.cvcRequired };
  return new RegExp(`^\\d{${length}}$`).test(digits) ? {} : { error: length === 4 ? words.cvc4 : words.cvc3 };
}

/** Shows or clears the error next to a field, and marks the field for assistive technology. */
function showError(/** @type {HTMLInputElement} */ field, /** @type {string | undefined} */ message) {
  const box = /** @type {HTMLElement} */ (document.getElementById(`${field.id}-error`));
  box.textContent = message || '';
  box.hidden = !message;
  if (message) field.setAttribute('aria-invalid', 'true');
  else field.removeAttribute('aria-invalid');
}

/** Base64url of a string (the token body is ASCII JSON). */
function base64url(/** @type {string} */ text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  bytes.forEach((byte) => { binary += String.fromCharCode(byte); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random nonce, so two tokens of the same card differ. */
function nonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The test token: `tok_test_` + base64url(JSON { v, brand, last4, expMonth,
 * expYear, behaviour, nonce }), the same format as the server's encodeTestToken.
 * A documented test card behaves as documented; any other valid number succeeds.
 */
function tokenise(/** @type {{ digits: string, brand: string }} */ card, /** @type {{ month: number, year: number }} */ expiry) {
  const documented = data.cards.find((c) => c.number === card.digits);
  const body = {
    v: 1, brand: documented ? documented.brand : card.brand, last4: card.digits.slice(-4),
    expMonth: expiry.month, expYear: expiry.year, behaviour: documented ? documented.behaviour : 'succeeds', nonce: nonce(),
  };
  return { token: `tok_test_${base64url(JSON.stringify(body))}`, brand: body.brand, last4: body.last4 };
}

/** The security code's length for the card typed so far. */
function cvcLength() {
  const number = checkNumber(fields.number.value);
  return 'cvc' in number && number.cvc ? number.cvc : 3;
}

/** Checks one field by itself. */
function checkField(/** @type {HTMLInputElement} */ field) {
  if (field === fields.number) return checkNumber(field.value);
  if (field === fields.expiry) return checkExpiry(field.value);
  return checkCvc(field.value, cvcLength());
}

/** Validates every field, showing each problem next to its field and focusing the first; the card and expiry, or null. */
function validate() {
  const results = [fields.number, fields.expiry, fields.cvc].map((field) => {
    const result = checkField(field);
    showError(field, 'error' in result ? result.error : undefined);
    return { field, result };
  });
  const firstInvalid = results.find(({ result }) => 'error' in result && result.error);
  if (firstInvalid) {
    firstInvalid.field.focus();
    return null;
  }
  const [number, expiry] = results.map(({ result }) => result);
  return { card: /** @type {{ digits: string, brand: string }} */ (number), expiry: /** @type {{ month: number, year: number }} */ (expiry) };
}

/** Shows a message above the form (for problems that are not one field's), or hides it. */
function showAlert(/** @type {string} */ message) {
  alertBox.textContent = message;
  alertBox.hidden = !message;
}

let sending = false;

/** Turns a valid card into a token and hands it to the parent; the form itself is never submitted. */
function submit(/** @type {SubmitEvent} */ event) {
  // Never submitted: the card stays in this page.
  event.preventDefault();
  showAlert('');
  status.textContent = '';
  if (!target) {
    showAlert(words.noParent);
    return;
  }
  const valid = validate();
  if (!valid || sending) return;
  const { token, brand, last4 } = tokenise(valid.card, valid.expiry);
  status.textContent = words.sent;
  // One token per press: a double click must not hand the parent two tokens for one setup.
  sending = true;
  setTimeout(() => { sending = false; }, 3000);
  post({ type: 'ap-payment-method', token, brand, last4 });
}

form.addEventListener('submit', submit);

/** Formats the card number in groups as typed, when the caret is at the end (editing in the middle is left alone). */
function formatNumber() {
  const field = fields.number;
  if (field.selectionStart !== field.value.length) return;
  const digits = field.value.replace(/\D/g, '').slice(0, 19);
  const groups = /^3[47]/.test(digits) ? [4, 6, 5] : [4, 4, 4, 4, 3];
  const parts = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  field.value = parts.join(' ');
}

/** Writes the expiry as MM/YY while typing (the slash comes by itself). */
function formatExpiry() {
  const field = fields.expiry;
  if (field.selectionStart !== field.value.length) return;
  const digits = field.value.replace(/\D/g, '').slice(0, 4);
  field.value = digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}

fields.number.addEventListener('input', formatNumber);
fields.expiry.addEventListener('input', formatExpiry);

// A field's error goes away as soon as the customer has fixed it (checked when leaving the field).
for (const field of Object.values(fields)) {
  field.addEventListener('blur', () => {
    if (field.getAttribute('aria-invalid') !== 'true') return;
    const result = checkField(field);
    showError(field, 'error' in result ? result.error : undefined);
  });
}

const cancel = () => post({ type: 'ap-payment-method-cancel' });
/** @type {HTMLElement} */ (document.getElementById('cancel')).addEventListener('click', cancel);
document.addEventListener('keydown', (event) => {
  // Focus is inside this frame, so the widget's dialog cannot see Escape: pass it on.
  if (event.key === 'Escape') cancel();
});

for (const button of document.querySelectorAll('button[data-card]')) {
  button.addEventListener('click', () => {
    fields.number.value = /** @type {HTMLElement} */ (button).dataset.card || '';
    fields.number.dispatchEvent(new Event('input'));
    showError(fields.number, undefined);
    fields.expiry.focus();
  });
}

/** The parent's answer when saving failed: shown above the form, which is usable again. */
function receive(/** @type {MessageEvent} */ event) {
  if (!target || event.origin !== target || event.source !== window.parent) return;
  const message = event.data;
  if (message && message.type === 'ap-payment-method-error' && message.setupId === data.setupId) {
    status.textContent = '';
    sending = false;
    showAlert(typeof message.message === 'string' ? message.message : '');
    fields.number.focus();
  }
}

window.addEventListener('message', receive);

// The body's own height, not the document's scroll height: that never drops below the frame's, so the frame could grow but never shrink.
const reportHeight = () => post({ type: 'ap-payment-method-resize', height: Math.ceil(document.body.getBoundingClientRect().height) });
new ResizeObserver(reportHeight).observe(document.body);
if (!target) showAlert(words.noParent);
