/** The account tab's chunk: the contact and billing details form. */
import { ApAccountForm } from '../components/account-form/account-form';

ApAccountForm.define('ap-account-form');
