/** The account tab's chunk: the contact and billing details form, and the activity log. */
import { ApAccountForm } from '../components/account-form/account-form';
import { ApActivity } from '../components/activity/activity';

ApAccountForm.define('ap-account-form');
ApActivity.define('ap-activity');
