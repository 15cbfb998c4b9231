/** The account tab's chunk: the contact and billing details form, and the password card. */
import { ApAccountForm } from '../components/account-form/account-form';
import { ApPasswordSettings } from '../components/password-settings/password-settings';

ApAccountForm.define('ap-account-form');
ApPasswordSettings.define('ap-password-settings');
