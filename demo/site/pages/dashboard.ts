import { embedSnippet, escapeHtml, htmlDocument } from './layout';

export interface DashboardPageUrls {
  /** The portal server as browsers reach it (the widget's script and API). */
  portal: string;
}

/** The signed-in user of the demo SaaS app, as its own session would know them. */
export interface DashboardUser {
  name: string;
  email: string;
  customUserId: string;
}

const sections = ['Projects', 'Library', 'Team', 'Settings'];

/**
 * "Northwind Studio", a SaaS app's dashboard with a "Manage subscription" panel.
 * The app's own backend (`GET /api/portal-session`) asks the portal's Server API
 * for a pre-authenticated URL; /assets/dashboard.js hands it to the element and
 * drives its `route` from the panel's own buttons (`no-hash-routing`). When the
 * user asks to cancel, the app shows its own retention offer first (it cancels
 * `ap-request-cancel-subscription`): a month's pause instead (`POST
 * /api/retention/pause`, then `refresh()`), or the widget's cancellation after all
 * (`event.continue()`).
 */
export function dashboardPage(urls: DashboardPageUrls, user: DashboardUser): string {
  const initials = user.name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const snippet =
    embedSnippet(urls.portal, 'store="demo" no-hash-routing route="/orders"') +
    '\n<script type="module">\n' +
    "  const portal = document.querySelector('account-portal');\n" +
    '  // Your backend calls GET /api/accounts/{id}/authenticate with your API credentials.\n' +
    "  const { url } = await (await fetch('/api/portal-session')).json();\n" +
    '  portal.authUrl = url;\n' +
    "  ordersButton.onclick = () => { portal.route = '/orders'; };\n" +
    "  // A retention offer before the widget's cancellation dialog.\n" +
    "  portal.addEventListener('ap-request-cancel-subscription', (event) => {\n" +
    '    event.preventDefault();\n' +
    '    offer(event.subscription, {\n' +
    '      accept: async () => { await pauseInstead(event.subscription.id); portal.refresh(); },\n' +
    '      decline: () => event.continue(),\n' +
    '    });\n' +
    '  });\n' +
    '</script>';
  return htmlDocument({
    title: 'Manage subscription · Northwind Studio',
    stylesheet: '/assets/dashboard.css',
    scripts: [`${urls.portal}/widget/account-portal.js`, '/assets/dashboard.js'],
    bodyClass: 'app',
    body: `
<div class="shell">
  <aside class="sidebar">
    <a class="brand" href="/app"><span class="logo" aria-hidden="true">N</span>Studio</a>
    <nav aria-label="App">
      <ul>${sections.map((s) => `<li><span class="nav-item">${s}</span></li>`).join('')}
        <li><a class="nav-item current" href="/app" aria-current="page">Billing</a></li></ul>
    </nav>
    <p class="sidebar-foot"><a href="/">Shop demo</a> · <a href="${escapeHtml(urls.portal)}/">Demo home</a></p>
  </aside>
  <div class="main">
    <header class="appbar">
      <span class="workspace">Liam's workspace</span>
      <span class="user"><span class="avatar" aria-hidden="true">${escapeHtml(initials)}</span>
        <span><strong>${escapeHtml(user.name)}</strong><small>${escapeHtml(user.email)}</small></span></span>
    </header>
    <main class="content">
      <h1>Manage subscription</h1>
      <p class="lead">Your plan, orders and billing details.</p>
      <aside class="demo-note" aria-label="How this demo works">
        <strong>Demo:</strong> you are signed in to this app as ${escapeHtml(user.name)} (user id
        <code>${escapeHtml(user.customUserId)}</code>). The app's backend called the portal's Server API
        (<code>/api/accounts?customUserId=…</code>, then <code>/authenticate</code>) and handed the one-time URL
        to the widget — no API credentials in the browser, no login email.
      </aside>
      <section class="panel" aria-labelledby="billing-title">
        <div class="panel-head">
          <h2 id="billing-title">Billing</h2>
          <div class="segmented" role="group" aria-label="Billing view">
            <button type="button" data-route="/orders" aria-pressed="true">Orders</button>
            <button type="button" data-route="/subscriptions" aria-pressed="false">Subscription</button>
            <button type="button" data-route="/account" aria-pressed="false">Account</button>
          </div>
        </div>
        <p id="portal-status" class="status" role="status">Opening your billing details…</p>
        <button type="button" id="portal-retry" class="retry" hidden>Open billing again</button>
        <account-portal store="demo" no-hash-routing route="/orders"></account-portal>
      </section>
      <dialog id="retention" class="offer" aria-labelledby="offer-title" aria-describedby="offer-text">
        <h2 id="offer-title">Before you go: pause instead?</h2>
        <p id="offer-text">Take a break from <strong id="offer-plan">your plan</strong> for one billing period:
          nothing is charged meanwhile, your projects stay where they are, and billing starts again on its own.</p>
        <p id="offer-problem" class="offer-problem" role="alert"></p>
        <div class="offer-actions">
          <button type="button" id="offer-accept" class="primary">Pause for one period</button>
          <button type="button" id="offer-decline">No thanks, cancel</button>
        </div>
      </dialog>
      <details class="how">
        <summary>How this panel is built</summary>
        <pre><code>${escapeHtml(snippet)}</code></pre>
      </details>
    </main>
  </div>
</div>`,
  });
}
