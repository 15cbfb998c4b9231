/** The account tab's chunk: the contact and billing details form, and the data export card. */
import { ApAccountForm } from '../components/account-form/account-form';
import { ApDataExport } from '../components/data-export/data-export';

ApAccountForm.define('ap-account-form');
ApDataExport.define('ap-data-export');
