import { askHost, type ApRequestEvent, type RequestContinuation } from '../../events/request';
import { ApRequestCancelSubscriptionEvent } from '../../events/request-cancel-subscription';
import { ApRequestChangePlanEvent } from '../../events/request-change-plan';
import { ApRequestPauseSubscriptionEvent } from '../../events/request-pause-subscription';
import { ApRequestRenewSubscriptionEvent } from '../../events/request-renew-subscription';
import { ApRequestUpdatePaymentMethodEvent } from '../../events/request-update-payment-method';
import type { PortalSubscription } from '../../internal/types';
import type { DialogKind } from './flow';

/** The `ap-request-*` event each dialog of the subscription screen asks the host page with. */
const requests: Record<DialogKind, new (sub: PortalSubscription, resume: RequestContinuation) => ApRequestEvent> = {
  change: ApRequestChangePlanEvent,
  cancel: ApRequestCancelSubscriptionEvent,
  pause: ApRequestPauseSubscriptionEvent,
  renew: ApRequestRenewSubscriptionEvent,
};

/** Whether the subscription (as last loaded) still offers the dialog's action. */
const isOpenTo = (sub: PortalSubscription, kind: DialogKind): boolean => Boolean(sub.actions[kind]);

/**
 * The subscription screen's questions to the host page: each dialog's cancelable
 * `ap-request-*` before it opens, and `ap-request-update-payment-method`. It
 * remembers which dialog the host let open, so that the route change that follows
 * (`…/cancel`) does not ask again. A host's later `continue()` goes ahead only while
 * the screen is still there, on the same subscription, with the action still open.
 */
export class HostRequests {
  /** The dialog the host page let open (its request was not canceled, or was continued). */
  approved: DialogKind | null = null;

  constructor(
    private readonly screen: HTMLElement,
    /** The subscription as the screen shows it now. */
    private readonly current: () => PortalSubscription | null,
    /** Opens a dialog the host let open. */
    private readonly open: (kind: DialogKind) => void,
  ) {}

  /** Fires the dialog's request; true when the widget goes ahead now (the caller opens it). */
  askToOpen(kind: DialogKind): boolean {
    const sub = this.current();
    if (!sub) return false;
    const resume = () => {
      const now = this.current();
      if (!this.screen.isConnected || now?.id !== sub.id || !isOpenTo(now, kind)) return false;
      this.open(kind);
      return true;
    };
    return askHost(this.screen, new requests[kind](sub, resume));
  }

  /** Fires `ap-request-update-payment-method`; true when the widget goes ahead now. `go` is what a later `continue()` does. */
  askForPaymentMethod(subscriptionId: string, go: () => void): boolean {
    const resume = () => {
      if (!this.screen.isConnected) return false;
      go();
      return true;
    };
    return askHost(this.screen, new ApRequestUpdatePaymentMethodEvent(subscriptionId, resume));
  }
}
