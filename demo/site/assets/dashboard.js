// The SaaS dashboard's own script (a merchant writes this): it asks the app's backend
// for a pre-authenticated portal URL and hands it to <account-portal>, and drives
// the element's route from the panel's buttons because the app owns the page's URL.
const portal = document.querySelector('account-portal');
const status = document.getElementById('portal-status');
const retry = document.getElementById('portal-retry');
const buttons = [...document.querySelectorAll('[data-route]')];

function showStatus(text, canRetry = false) {
  status.textContent = text;
  status.hidden = !text;
  retry.hidden = !canRetry;
}

function markRoute(route) {
  for (const button of buttons) {
    const active = route === button.dataset.route || route.startsWith(`${button.dataset.route}/`);
    button.setAttribute('aria-pressed', String(active));
  }
}

async function openBilling() {
  showStatus('Opening your billing details…');
  try {
    const response = await fetch('/api/portal-session', { headers: { accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
    portal.authUrl = body.url;
    showStatus('');
  } catch (error) {
    showStatus(`Your billing details could not be opened: ${error.message}`, true);
  }
}

for (const button of buttons) {
  button.addEventListener('click', () => {
    portal.route = button.dataset.route;
    markRoute(portal.route);
  });
}
portal.addEventListener('ap-navigate', (event) => markRoute(event.route));
portal.addEventListener('ap-signed-out', () => showStatus('You signed out of billing.', true));
// The app knows who its user is, so an expired portal session is renewed without asking them.
portal.addEventListener('ap-session-expired', () => void openBilling());
retry.addEventListener('click', () => void openBilling());

markRoute(portal.getAttribute('route') ?? '/orders');
void openBilling();
