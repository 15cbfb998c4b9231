/** The payment methods tab's chunk: the saved methods, their dialogs and the add-card flow. */
import { ApDialog } from '../components/dialog/dialog';
import { ApPaymentMethodSetup } from '../components/payment-method-setup/payment-method-setup';
import { ApPaymentMethods } from '../components/payment-methods/payment-methods';

ApDialog.define('ap-dialog');
ApPaymentMethods.define('ap-payment-methods');
ApPaymentMethodSetup.define('ap-payment-method-setup');
