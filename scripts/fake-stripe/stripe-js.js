/*
 * A stand-in for Stripe.js (https://js.stripe.com/v3/), served by the fake Stripe
 * API at /v3/ for tests and local trials, where js.stripe.com cannot be reached.
 * It offers the few calls the portal's pages use — Stripe(key), elements({
 * clientSecret }).create('payment').mount(selector), confirmSetup,
 * retrieveSetupIntent, handleNextAction — against the fake's API on the origin it
 * was loaded from. Unlike the real Payment Element, which keeps the card inside
 * Stripe's own iframe, it renders plain inputs into the page: it is for test
 * cards only. The 3-D Secure challenge is an overlay with "Complete" and "Fail"
 * (closing it fails, as closing Stripe's does).
 */
(() => {
  const base = new URL(document.currentScript.src).origin;
  const idOf = (clientSecret) => clientSecret.split('_secret_')[0];

  async function call(key, method, path, params) {
    const response = await fetch(base + path + (method === 'GET' && params ? `?${new URLSearchParams(params)}` : ''), {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: method === 'POST' ? new URLSearchParams(params || {}) : undefined,
    });
    return response.json();
  }

  const money = (intent) => {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency: intent.currency }).format(
        intent.amount / 100,
      );
    } catch {
      return `${intent.amount} ${intent.currency}`;
    }
  };

  /**
   * Shows the stand-in challenge and reports the customer's choice to the fake. Like
   * Stripe's own, it is an overlay appended to the page's body (not a modal
   * <dialog>): a modal dialog of the page left open above it would make it unusable,
   * as it would Stripe's. Closing it (× or Escape) fails the authentication, as
   * closing Stripe's does.
   */
  function challenge(key, intent) {
    return new Promise((resolve) => {
      // Built with the DOM and styled through CSSOM (never style attributes), as Stripe.js is: a page's strict
      // Content Security Policy (no 'unsafe-inline' styles) lets it show.
      const make = (tag, css, text) => {
        const node = document.createElement(tag);
        if (css) node.style.cssText = css;
        if (text) node.textContent = text;
        return node;
      };
      const overlay = make(
        'div',
        'position:fixed;inset:0;z-index:2147483647;display:grid;place-items:center;background:rgb(15 23 42/.55);' +
          'font:15px/1.5 system-ui,sans-serif;color:#0f172a',
      );
      overlay.id = 'stand-in-3ds';
      overlay.setAttribute('role', 'dialog');
      overlay.setAttribute('aria-modal', 'true');
      overlay.setAttribute('aria-labelledby', 'stand-in-3ds-title');
      const panel = make(
        'div',
        'position:relative;width:min(22rem,calc(100vw - 2rem));background:#fff;border-radius:10px;' +
          'box-shadow:0 20px 50px rgb(0 0 0/.3);padding:1.25rem 1.5rem',
      );
      const close = make(
        'button',
        'position:absolute;top:.5rem;right:.5rem;border:0;background:none;font-size:1.25rem;cursor:pointer',
        '×',
      );
      close.type = 'button';
      close.id = 'stand-in-3ds-close';
      close.setAttribute('aria-label', 'Close');
      const title = make('h2', 'margin:.25rem 0 .5rem;font-size:1.125rem', 'Confirm your payment');
      title.id = 'stand-in-3ds-title';
      const text = make('p', 'margin:0 0 1rem', 'Your bank asks you to confirm a payment of ');
      text.append(make('strong', '', money(intent)), '.');
      const button = (id, label, css) => {
        const node = make('button', `padding:.5rem 1rem;border-radius:6px;font:inherit;cursor:pointer;${css}`, label);
        node.type = 'button';
        node.id = id;
        return node;
      };
      const complete = button('stand-in-3ds-complete', 'Complete', 'border:0;background:#16a34a;color:#fff');
      const fail = button('stand-in-3ds-fail', 'Fail', 'border:1px solid #cbd5e1;background:#fff;color:#0f172a');
      const actions = make('div', 'display:flex;gap:.5rem;flex-wrap:wrap');
      actions.append(complete, fail);
      panel.append(
        close,
        make(
          'p',
          'margin:0;font-size:.75rem;letter-spacing:.08em;text-transform:uppercase;color:#64748b',
          'Test bank · 3-D Secure stand-in',
        ),
        title,
        text,
        actions,
      );
      overlay.append(panel);
      document.body.append(overlay);
      let done = false;
      const choose = (outcome) => async () => {
        if (done) return;
        done = true;
        document.removeEventListener('keydown', onKey, true);
        overlay.remove();
        resolve(
          await call(key, 'POST', `/_fake/authenticate/${intent.id}`, { client_secret: intent.client_secret, outcome }),
        );
      };
      const onKey = (event) => {
        if (event.key === 'Escape') choose('fail')();
      };
      document.addEventListener('keydown', onKey, true);
      complete.addEventListener('click', choose('succeed'));
      fail.addEventListener('click', choose('fail'));
      close.addEventListener('click', choose('fail'));
      complete.focus();
    });
  }

  function paymentElement() {
    const inputs = {};
    return {
      mount(target) {
        const host = typeof target === 'string' ? document.querySelector(target) : target;
        for (const [name, label, placeholder] of [
          ['number', 'Card number', '4242 4242 4242 4242'],
          ['expiry', 'Expiry', 'MM / YY'],
          ['cvc', 'CVC', '123'],
        ]) {
          const field = document.createElement('div');
          field.className = 'field';
          const id = `stand-in-${name}`;
          field.innerHTML = `<label for="${id}">${label}</label><input id="${id}" autocomplete="off" inputmode="numeric" placeholder="${placeholder}">`;
          host.append(field);
          inputs[name] = field.querySelector('input');
        }
      },
      values() {
        const [month, year] = inputs.expiry.value.split('/').map((part) => part.trim());
        return {
          number: inputs.number.value.replace(/\s+/g, ''),
          month,
          year: year && year.length === 2 ? `20${year}` : year,
          cvc: inputs.cvc.value,
        };
      },
    };
  }

  window.Stripe = function Stripe(key) {
    let element;
    const finishIntent = async (intent, kind) => {
      if (intent.error) return { error: intent.error };
      let current = intent;
      if (current.status === 'requires_action') current = await challenge(key, current);
      if (current.error) return { error: current.error };
      if (kind === 'setup' && current.status !== 'succeeded') {
        return {
          error: {
            type: 'card_error',
            code: 'setup_intent_authentication_failure',
            message: 'We are unable to authenticate your payment method.',
          },
        };
      }
      return kind === 'setup' ? { setupIntent: current } : { paymentIntent: current };
    };
    return {
      elements(options) {
        return {
          clientSecret: options.clientSecret,
          create() {
            element = paymentElement();
            return element;
          },
        };
      },
      async confirmSetup({ elements }) {
        const card = element.values();
        const intent = await call(key, 'POST', `/v1/setup_intents/${idOf(elements.clientSecret)}/confirm`, {
          client_secret: elements.clientSecret,
          'payment_method_data[type]': 'card',
          'payment_method_data[card][number]': card.number,
          'payment_method_data[card][exp_month]': card.month,
          'payment_method_data[card][exp_year]': card.year,
          'payment_method_data[card][cvc]': card.cvc,
        });
        return finishIntent(intent, 'setup');
      },
      async retrieveSetupIntent(clientSecret) {
        const intent = await call(key, 'GET', `/v1/setup_intents/${idOf(clientSecret)}`, {
          client_secret: clientSecret,
        });
        return intent.error ? { error: intent.error } : { setupIntent: intent };
      },
      async handleNextAction({ clientSecret }) {
        const intent = await call(key, 'GET', `/v1/payment_intents/${idOf(clientSecret)}`, {
          client_secret: clientSecret,
        });
        return finishIntent(intent, 'payment');
      },
    };
  };
})();
