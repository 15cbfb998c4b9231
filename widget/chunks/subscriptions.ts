/** The subscriptions tab's chunk: the list, the subscription screen and its dialogs. */
import { ApDialog } from '../components/dialog/dialog';
import { ApSubscriptionDetail } from '../components/subscription-detail/subscription-detail';
import { ApSubscriptions } from '../components/subscriptions/subscriptions';

ApDialog.define('ap-dialog');
ApSubscriptions.define('ap-subscriptions');
ApSubscriptionDetail.define('ap-subscription-detail');
