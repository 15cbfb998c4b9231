/** The account tab's chunk: the contact and billing details form, the password card, the data export card and the activity log. */
import { ApAccountForm } from '../components/account-form/account-form';
import { ApActivity } from '../components/activity/activity';
import { ApDataExport } from '../components/data-export/data-export';
import { ApPasswordSettings } from '../components/password-settings/password-settings';

ApAccountForm.define('ap-account-form');
ApPasswordSettings.define('ap-password-settings');
ApDataExport.define('ap-data-export');
ApActivity.define('ap-activity');
