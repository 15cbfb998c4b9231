/**
 * The elements that are not in the entry module. Each screen a customer has not
 * opened yet arrives as its own chunk the first time the portal shows it; a chunk
 * defines its tags when it runs (safely, like the entry). Chunks are imported by
 * relative specifiers, which the browser resolves against the entry module's own
 * URL (its `import.meta.url`), so they load from wherever the entry came from:
 * the portal server cross-origin, a CDN copy, or the merchant's own bundle.
 */
const chunks = {
  'ap-order-detail': () => import('../chunks/order-detail'),
  'ap-subscriptions': () => import('../chunks/subscriptions'),
  'ap-subscription-detail': () => import('../chunks/subscriptions'),
  'ap-payment-methods': () => import('../chunks/payment-methods'),
  'ap-account-form': () => import('../chunks/account-form'),
} satisfies Record<string, () => Promise<unknown>>;

/** A tag whose definition loads on demand. */
export type LazyTag = keyof typeof chunks;

const loading = new Map<LazyTag, Promise<void>>();

/** Whether `tag` is defined: its chunk has run, or the page (or a test) defined it itself. */
export const isDefined = (tag: string): boolean => customElements.get(tag) !== undefined;

/**
 * Loads the chunk that defines `tag` and resolves once the tag is defined. Callers
 * share one request; after a failure (the network was down) the next call tries again.
 */
export function loadElement(tag: LazyTag): Promise<void> {
  if (isDefined(tag)) return Promise.resolve();
  let promise = loading.get(tag);
  if (!promise) {
    promise = chunks[tag]()
      .then(() => customElements.whenDefined(tag))
      .then(() => undefined);
    promise.catch(() => loading.delete(tag));
    loading.set(tag, promise);
  }
  return promise;
}
