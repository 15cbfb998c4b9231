import { ApRequestCancelSubscriptionEvent } from '../../events/request-cancel-subscription';
import { ApRequestChangePlanEvent } from '../../events/request-change-plan';
import { ApRequestPauseSubscriptionEvent } from '../../events/request-pause-subscription';
import { ApRequestRenewSubscriptionEvent } from '../../events/request-renew-subscription';
import type { ApRequestEvent, RequestContinuation } from '../../events/request';
import type { PortalSubscription } from '../../internal/types';
import type { DialogKind } from './flow';

/** The `ap-request-*` event each dialog of the subscription screen asks the host page with. */
const requests: Record<DialogKind, new (sub: PortalSubscription, resume: RequestContinuation) => ApRequestEvent> = {
  change: ApRequestChangePlanEvent,
  cancel: ApRequestCancelSubscriptionEvent,
  pause: ApRequestPauseSubscriptionEvent,
  renew: ApRequestRenewSubscriptionEvent,
};

/** The request to fire before a dialog of `sub` opens; `resume` opens it once the host continues. */
export const requestFor = (kind: DialogKind, sub: PortalSubscription, resume: RequestContinuation): ApRequestEvent =>
  new requests[kind](sub, resume);

/** Whether the subscription (as last loaded) still offers the dialog's action. */
export const isOpenTo = (sub: PortalSubscription, kind: DialogKind): boolean => Boolean(sub.actions[kind]);
