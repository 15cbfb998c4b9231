import { embedSnippet, escapeHtml, htmlDocument } from './layout';

/** Where the shop page's links and script point. */
export interface ShopPageUrls {
  /** The portal server as browsers reach it (the widget's script and API). */
  portal: string;
  /** This demo site. */
  site: string;
}

const products = [
  {
    name: 'Studio Pro',
    price: 'from $19 / month',
    about: 'RAW processing, layers and 1 TB of cloud storage.',
    mark: 'S',
    tone: 'indigo',
  },
  {
    name: 'Photo Toolkit 3',
    price: '$49',
    about: 'Presets, retouching tools and batch export.',
    mark: 'P',
    tone: 'teal',
  },
  {
    name: 'Font Pack Pro',
    price: '$29',
    about: 'Twelve type families for print, web and apps.',
    mark: 'F',
    tone: 'amber',
  },
  { name: 'Brush Library', price: '$19', about: '300 natural-media brushes for Studio.', mark: 'B', tone: 'rose' },
];

/**
 * "Northwind Software", a merchant's shop page that embeds the portal exactly as a
 * merchant would: one module script from the portal's origin and one element.
 */
export function shopPage(urls: ShopPageUrls): string {
  const outbox = `${urls.portal}/dev/outbox`;
  const productCards = products
    .map(
      (p) =>
        `<li class="product"><span class="mark ${p.tone}" aria-hidden="true">${p.mark}</span>` +
        `<h3>${p.name}</h3><p>${p.about}</p><p class="price">${p.price}</p></li>`,
    )
    .join('');
  return htmlDocument({
    title: 'Your account · Northwind Software',
    stylesheet: '/assets/shop.css',
    scripts: [`${urls.portal}/widget/account-portal.js`],
    bodyClass: 'shop',
    body: `
<header class="topbar"><div class="wrap">
  <a class="brand" href="/"><span class="logo" aria-hidden="true">N</span>Northwind Software</a>
  <nav aria-label="Demo"><a href="/app">SaaS demo</a><a href="${escapeHtml(urls.portal)}/">Demo home</a><a href="${escapeHtml(outbox)}">Email outbox</a></nav>
</div></header>
<section class="hero"><div class="wrap">
  <p class="eyebrow">Creative tools since 2009</p>
  <h1>Photo and design software, made in Northwind.</h1>
  <p class="lead">Studio, add-ons and type for photographers and designers. Manage your orders, licence keys and downloads below.</p>
</div></section>
<main class="wrap">
  <section aria-labelledby="products-title">
    <h2 id="products-title">Popular right now</h2>
    <ul class="products">${productCards}</ul>
  </section>
  <section class="account" aria-labelledby="account-title">
    <div class="account-head">
      <h2 id="account-title">Your account</h2>
      <aside class="demo-note" aria-label="How to try the demo">
        <strong>Demo:</strong> sign in with <code>ada@example.com</code>. The portal emails a login link;
        open the <a href="${escapeHtml(outbox)}" target="_blank" rel="noopener">email outbox</a> and click the newest link.
        It opens the portal's hosted page, because this demo store has no portal URL of its own.
      </aside>
    </div>
    <account-portal store="demo"></account-portal>
  </section>
  <section class="how" aria-labelledby="how-title">
    <h2 id="how-title">How this page embeds the portal</h2>
    <p>This page is served from <code>${escapeHtml(urls.site)}</code>; the widget and its API come from
      <code>${escapeHtml(urls.portal)}</code>, a different origin. These two lines are all the page adds:</p>
    <pre><code>${escapeHtml(embedSnippet(urls.portal))}</code></pre>
  </section>
</main>
<footer class="footer"><div class="wrap">© Northwind Software · a demo merchant of Account Portal</div></footer>`,
  });
}
