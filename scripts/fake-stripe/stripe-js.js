/*
 * A stand-in for Stripe.js (https://js.stripe.com/v3/), served by the fake Stripe
 * API at /v3/ for tests and local trials, where js.stripe.com cannot be reached.
 * It offers the few calls the portal's pages use — Stripe(key), elements({
 * clientSecret }).create('payment').mount(selector), confirmSetup,
 * retrieveSetupIntent, handleNextAction — against the fake's API on the origin it
 * was loaded from. Unlike the real Payment Element, which keeps the card inside
 * Stripe's own iframe, it renders plain inputs into the page: it is for test
 * cards only. The 3-D Secure challenge is a dialog with "Complete" and "Fail".
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

  /** Shows the stand-in challenge and reports the customer's choice to the fake. */
  function challenge(key, intent) {
    return new Promise((resolve) => {
      const dialog = document.createElement('dialog');
      dialog.id = 'stand-in-3ds';
      dialog.innerHTML =
        '<p><strong>3-D Secure (stand-in)</strong></p><p>Your bank asks you to confirm.</p>' +
        '<button type="button" id="stand-in-3ds-complete">Complete</button> <button type="button" id="stand-in-3ds-fail">Fail</button>';
      document.body.append(dialog);
      dialog.showModal();
      const choose = (outcome) => async () => {
        dialog.close();
        dialog.remove();
        resolve(
          await call(key, 'POST', `/_fake/authenticate/${intent.id}`, { client_secret: intent.client_secret, outcome }),
        );
      };
      dialog.querySelector('#stand-in-3ds-complete').addEventListener('click', choose('succeed'));
      dialog.querySelector('#stand-in-3ds-fail').addEventListener('click', choose('fail'));
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
