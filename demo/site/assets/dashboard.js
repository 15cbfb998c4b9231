// The SaaS dashboard's own script (a merchant writes this): it asks the app's backend
// for a pre-authenticated portal URL and hands it to <account-portal>, drives the
// element's route from the panel's buttons because the app owns the page's URL, and
// shows a retention offer before the widget cancels a subscription.
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

// The retention offer: before the widget's cancellation dialog opens, the app offers a
// pause instead. Taking it pauses the subscription through the app's backend (which
// calls the portal's Server API) and reloads the widget; declining lets the widget go
// ahead with the cancellation, exactly as the user asked.
const offer = document.getElementById('retention');
const offerProblem = document.getElementById('offer-problem');
const acceptOffer = document.getElementById('offer-accept');
let heldRequest = null;

portal.addEventListener('ap-request-cancel-subscription', (event) => {
  event.preventDefault();
  heldRequest = event;
  document.getElementById('offer-plan').textContent = event.subscription.product.name;
  offerProblem.textContent = '';
  acceptOffer.disabled = false;
  offer.showModal();
});

acceptOffer.addEventListener('click', async () => {
  const request = heldRequest;
  acceptOffer.disabled = true;
  try {
    const response = await fetch('/api/retention/pause', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ subscriptionId: request.subscription.id }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
    heldRequest = null;
    offer.close();
    portal.refresh();
  } catch (error) {
    offerProblem.textContent = `The pause could not be arranged: ${error.message}`;
    acceptOffer.disabled = false;
  }
});

document.getElementById('offer-decline').addEventListener('click', () => {
  const request = heldRequest;
  heldRequest = null;
  offer.close();
  request?.continue();
});

// Escape closes the offer: the user keeps their subscription as it is, and the request is dropped.
offer.addEventListener('close', () => {
  heldRequest = null;
});

markRoute(portal.getAttribute('route') ?? '/orders');
void openBilling();
