import { expect } from '@open-wc/testing';
import '../../widget/index';
import type { AccountPortal } from '../../widget/index';
import { PortalApiClient } from '../../widget/internal/api-client';
import { firstScreenRequest } from '../../widget/internal/first-screen';
import { startHeadStart, takeHeadStart } from '../../widget/internal/head-start';
import { parseRoute } from '../../widget/internal/routes';
import type { SessionScope } from '../../widget/internal/types';
import {
  authUrlFor,
  deepQuery,
  limitedAuthUrlFor,
  newStore,
  orderWithFulfilments,
  uniqueEmail,
  until,
  type TestStore,
} from './support/fixtures';

/** The Portal API requests the page makes, as `METHOD /path?query` (the store's segment left out). */
function recordRequests(): { requests: string[]; restore: () => void } {
  const requests: string[] = [];
  const original = window.fetch;
  window.fetch = (input, init) => {
    const url = new URL(String(input), location.href);
    const portal = /^\/portal\/[^/]+(\/.*)$/.exec(url.pathname);
    if (portal) requests.push(`${init?.method ?? 'GET'} ${portal[1]}${url.search}`);
    return original(input, init);
  };
  return { requests, restore: () => (window.fetch = original) };
}

/**
 * A page as a script tag finds it: the portal's markup parsed, the element not yet
 * upgraded (a template's content is inert), so the head start reads its attributes.
 */
function parsedPage(attributes: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = `<account-portal ${attributes}></account-portal>`;
  return template.content;
}

async function customerWithOrder(store: TestStore): Promise<string> {
  const order = (await orderWithFulfilments(store, uniqueEmail())) as { accountId: string };
  return order.accountId;
}

const portalsShown: AccountPortal[] = [];
afterEach(() => {
  for (const el of portalsShown.splice(0)) el.remove();
  sessionStorage.clear();
});

describe('the head start', () => {
  it("redeems the page's token and asks for the first orders before the portal is defined; the portal takes both over", async () => {
    const store = await newStore();
    const accountId = await customerWithOrder(store);
    const url = await authUrlFor(store, accountId);
    const { requests, restore } = recordRequests();
    try {
      const page = parsedPage(`store="${store.id}" auth-url="${url}"`);
      startHeadStart(page);
      expect(requests).to.deep.equal(['GET /config', 'POST /sessions']);
      // The orders' first page goes out as soon as the session is there, with nothing of the portal running.
      await until(() => requests.includes('GET /orders?limit=10'), 4000, 'orders asked for');

      const el = page.querySelector<AccountPortal>('account-portal')!;
      portalsShown.push(el);
      document.body.append(el);
      await until(() => deepQuery(el, 'tr[part~="row"]'), 5000, 'an order row');
      // One of each: the portal waited for the head start's answers instead of asking again.
      expect(requests.filter((r) => r === 'POST /sessions')).to.have.length(1);
      expect(requests.filter((r) => r === 'GET /config')).to.have.length(1);
      expect(requests.filter((r) => r.startsWith('GET /orders'))).to.have.length(1);
    } finally {
      restore();
    }
  });

  it('asks for no orders when the session opens elsewhere (the merchant’s landing route)', async () => {
    const store = await newStore();
    const accountId = await customerWithOrder(store);
    const url = await limitedAuthUrlFor(store, accountId, { landingRoute: '/account' });
    const { requests, restore } = recordRequests();
    try {
      startHeadStart(parsedPage(`store="${store.id}" auth-url="${url}"`));
      const head = takeHeadStart(location.origin, store.id)!;
      await head.redemption!.session;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests).to.deep.equal(['GET /config', 'POST /sessions']);
    } finally {
      restore();
    }
  });

  it('starts nothing without a portal on the page, and only the config and translations without a token', async () => {
    const { requests, restore } = recordRequests();
    try {
      startHeadStart(document);
      startHeadStart(document.createDocumentFragment());
      expect(requests).to.deep.equal([]);
      const store = await newStore();
      startHeadStart(parsedPage(`store="${store.id}"`));
      expect(requests).to.deep.equal(['GET /config']);
      expect(takeHeadStart(location.origin, store.id)!.redemption).to.equal(null);
    } finally {
      restore();
    }
  });

  it('is taken once, and only by a portal of the same store and server', async () => {
    const store = await newStore();
    startHeadStart(parsedPage(`store="${store.id}"`));
    expect(takeHeadStart(location.origin, 'another-store')).to.equal(null);
    expect(takeHeadStart('https://portal.example', store.id)).to.equal(null);
    expect(takeHeadStart(location.origin, store.id)?.client.store).to.equal(store.id);
    expect(takeHeadStart(location.origin, store.id)).to.equal(null);
  });

  it('with api-base, asks that server', () => {
    const original = window.fetch;
    const asked: string[] = [];
    window.fetch = (input) => {
      asked.push(String(input));
      return Promise.reject(new TypeError('offline'));
    };
    try {
      startHeadStart(parsedPage('store="s1" api-base="https://portal.example/"'));
      expect(asked).to.deep.equal(['https://portal.example/portal/s1/config']);
      expect(takeHeadStart('https://portal.example', 's1')).to.not.equal(null);
    } finally {
      window.fetch = original;
    }
  });
});

describe('the first screen’s request', () => {
  const scope = (fields: Partial<SessionScope>): SessionScope => ({
    capabilities: [],
    permissions: ['orders:read'],
    landingRoute: null,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    ...fields,
  });

  it('is the orders’ first page when the session opens on the orders list', () => {
    expect(firstScreenRequest(null, null, parseRoute(''))).to.equal('/orders?limit=10');
    expect(firstScreenRequest(scope({}), parseRoute('/orders'), parseRoute('/account'))).to.equal('/orders?limit=10');
    expect(firstScreenRequest(scope({ landingRoute: '/orders' }), null, parseRoute('/account'))).to.equal(
      '/orders?limit=10',
    );
  });

  it('is nothing when the landing route, the link or the address opens another screen, or orders are not allowed', () => {
    expect(
      firstScreenRequest(scope({ landingRoute: '/subscriptions' }), parseRoute('/orders'), parseRoute('')),
    ).to.equal(null);
    expect(firstScreenRequest(scope({}), parseRoute('/orders/ord_1'), parseRoute(''))).to.equal(null);
    expect(firstScreenRequest(null, null, parseRoute('#/account'))).to.equal(null);
    expect(firstScreenRequest(scope({ permissions: ['account:read'] }), null, parseRoute(''))).to.equal(null);
  });
});

describe('prefetched answers', () => {
  it('are kept for the session that asked for them and dropped when the session changes', async () => {
    const answers: string[] = [];
    const original = window.fetch;
    window.fetch = (input) => {
      answers.push(String(input));
      return Promise.resolve(
        new Response(JSON.stringify({ n: answers.length }), { headers: { 'content-type': 'application/json' } }),
      );
    };
    try {
      const client = new PortalApiClient('https://portal.example', 's1');
      client.token = 'first';
      client.prefetch('/orders?limit=10');
      client.prefetch('/orders?limit=10');
      expect(answers).to.have.length(1);
      client.forget();
      expect(await client.get('/orders?limit=10')).to.deep.equal({ n: 1 });

      client.prefetch('/orders?limit=10');
      client.token = 'second';
      client.forget();
      expect(await client.get('/orders?limit=10')).to.deep.equal({ n: 3 });

      // Asked before any session (the public config): any session may take it.
      client.token = null;
      client.prefetch('/config');
      client.token = 'second';
      client.forget();
      expect(await client.get('/config')).to.deep.equal({ n: 4 });

      // Not forgotten, but asked with another session: never handed to this one.
      client.prefetch('/me');
      client.token = 'third';
      expect(await client.get('/me')).to.deep.equal({ n: 6 });
    } finally {
      window.fetch = original;
    }
  });
});
