/**
 * How the widget carries on with a request the host page paused, once the host
 * says so: returns false when it no longer can.
 */
export type RequestContinuation = () => boolean;

/** What the widget keeps about each request: how to carry on, and how far it got. */
interface RequestState {
  continuation: RequestContinuation;
  dispatched: boolean;
  continued: boolean;
}

const states = new WeakMap<ApRequestEvent, RequestState>();

/**
 * A customer's intent that the host page may take over: fired before the widget
 * acts, cancelable, bubbling and composed. A host that calls `preventDefault()`
 * runs its own flow instead (a retention offer, its own checkout or card form) and
 * afterwards either calls `continue()` — the widget then goes ahead with exactly
 * this request — or changes things through the Server API and calls the portal's
 * `refresh()`. Every `ap-request-*` event is one of these.
 */
export class ApRequestEvent extends Event {
  constructor(type: string, continuation: RequestContinuation) {
    super(type, { bubbles: true, composed: true, cancelable: true });
    states.set(this, { continuation, dispatched: false, continued: false });
  }

  /**
   * After `preventDefault()`: the widget goes ahead with exactly this request (the
   * dialog opens, the card form shows), as if it had not been canceled — say, once
   * the customer turned the host's retention offer down. Works once. Returns false
   * when the widget cannot: the request was not canceled or was continued already,
   * the customer has left that screen meanwhile, or the action is no longer open
   * (the subscription changed).
   */
  continue(): boolean {
    const state = states.get(this)!;
    if (!this.defaultPrevented || state.continued) return false;
    state.continued = true;
    // Continued by a listener while the event is still being dispatched: the widget simply goes ahead.
    if (!state.dispatched) return true;
    return state.continuation();
  }
}

/**
 * Fires a request from `target` and says whether the widget goes ahead now: the
 * host did not cancel it, or continued it at once. Otherwise the widget waits for
 * the host's `continue()`, which runs the request's continuation.
 */
export function askHost(target: EventTarget, event: ApRequestEvent): boolean {
  target.dispatchEvent(event);
  const state = states.get(event)!;
  state.dispatched = true;
  return !event.defaultPrevented || state.continued;
}
