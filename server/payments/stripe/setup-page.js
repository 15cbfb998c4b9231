// @ts-check
/**
 * The Stripe setup page's script, a module. Stripe.js (loaded by the page before
 * this script) mounts the Payment Element on the setup's SetupIntent and
 * confirms it with Stripe directly, 3-D Secure included: card data stays inside
 * Stripe's frames and never reaches this page's code or the portal server. Only
 * the resulting PaymentMethod id goes to the parent window, at a verified origin.
 *
 * Messages to the parent (the same as the test gateway's page):
 *   { type: 'ap-payment-method', setupId, token }        token: the `pm_…` id
 *   { type: 'ap-payment-method-cancel', setupId }
 *   { type: 'ap-payment-method-resize', setupId, height }
 * From the parent: { type: 'ap-payment-method-error', setupId, message }.
 */
/** @typedef {{ setupId: string, parentOrigins: string[], publishableKey: string, clientSecret: string, returnUrl: string, locale: string, messages: Record<string, string> }} SetupData */

/** @type {SetupData} */
const data = JSON.parse(document.getElementById('setup-data')?.textContent || '{}');
const form = /** @type {HTMLFormElement} */ (document.getElementById('setup-form'));
const alertBox = /** @type {HTMLElement} */ (document.getElementById('form-alert'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const save = /** @type {HTMLButtonElement} */ (document.getElementById('save'));

/** The parent's origin if the setup allows it (the browser's record first, else `?parent=` or the referrer). */
function parentOrigin() {
  if (window.parent === window) return null;
  const ancestors = location.ancestorOrigins;
  const candidates =
    ancestors && ancestors.length > 0
      ? [ancestors[0]]
      : [new URLSearchParams(location.search).get('parent'), originOf(document.referrer)];
  return candidates.find((origin) => origin && data.parentOrigins.includes(origin)) || null;
}

function originOf(/** @type {string} */ url) {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

const target = parentOrigin();
const post = (/** @type {Record<string, unknown>} */ message) => {
  if (target) window.parent.postMessage({ ...message, setupId: data.setupId }, target);
};

function showError(/** @type {string} */ message) {
  alertBox.textContent = message;
  alertBox.hidden = false;
  status.textContent = '';
  save.disabled = false;
}

/** Posts the saved method's id (the SetupIntent's `payment_method`, an id or an expanded object). */
function finish(/** @type {{ payment_method: string | { id: string } }} */ setupIntent) {
  const method = setupIntent.payment_method;
  post({ type: 'ap-payment-method', token: typeof method === 'string' ? method : method.id });
}

// @ts-expect-error Stripe is the global Stripe.js defines.
const stripe = /** @type {any} */ (window.Stripe)(data.publishableKey, { locale: data.locale });
const elements = stripe.elements({ clientSecret: data.clientSecret });
elements.create('payment', { layout: 'tabs' }).mount('#payment-element');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  save.disabled = true;
  alertBox.hidden = true;
  status.textContent = data.messages.saving;
  const { error, setupIntent } = await stripe.confirmSetup({
    elements,
    redirect: 'if_required',
    confirmParams: { return_url: data.returnUrl },
  });
  if (error) return showError(error.message || data.messages.failed);
  if (setupIntent.status !== 'succeeded') return showError(data.messages.failed);
  status.textContent = '';
  finish(setupIntent);
});

// Back from a payment method that redirects to the bank's page: Stripe appends the SetupIntent's secret.
if (new URLSearchParams(location.search).get('setup_intent_client_secret')) {
  stripe.retrieveSetupIntent(data.clientSecret).then((/** @type {any} */ result) => {
    if (result.setupIntent?.status === 'succeeded') finish(result.setupIntent);
    else showError(data.messages.failed);
  });
}

document.getElementById('cancel')?.addEventListener('click', () => post({ type: 'ap-payment-method-cancel' }));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') post({ type: 'ap-payment-method-cancel' });
});
window.addEventListener('message', (event) => {
  if (event.origin !== target || event.data?.type !== 'ap-payment-method-error' || event.data.setupId !== data.setupId)
    return;
  showError(String(event.data.message || data.messages.failed));
});
new ResizeObserver(() =>
  post({ type: 'ap-payment-method-resize', height: Math.ceil(document.documentElement.scrollHeight) }),
).observe(document.body);
