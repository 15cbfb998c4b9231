import type { Language } from '../i18n';
import type { TestCard } from './test-cards';

/** Words the script shows while the customer types (validation and status). */
export interface ScriptMessages {
  numberRequired: string;
  numberInvalid: string;
  expiryRequired: string;
  expiryInvalid: string;
  expiryPast: string;
  cvcRequired: string;
  cvc3: string;
  cvc4: string;
  fixFields: string;
  sent: string;
  noParent: string;
}

/** Everything the test gateway's setup page says, in each language the portal speaks. */
export interface SetupPageCopy {
  title: string;
  badge: string;
  intro: string;
  cardNumber: string;
  expiry: string;
  expiryHint: string;
  cvc: string;
  cvcHint: string;
  name: string;
  optional: string;
  save: string;
  cancel: string;
  testCardsHeading: string;
  testCardsIntro: string;
  use: string;
  behaviours: Record<TestCard['behaviour'], string>;
  unknownTitle: string;
  unknown: string;
  expiredTitle: string;
  expired: string;
  usedTitle: string;
  used: string;
  script: ScriptMessages;
}

export const setupPageCopy: Record<Language, SetupPageCopy> = {
  en: {
    title: 'Add a card',
    badge: 'Test mode',
    intro: 'No real money moves. Your card details stay on this page: only a token is passed on.',
    cardNumber: 'Card number',
    expiry: 'Expiry date',
    expiryHint: 'MM/YY',
    cvc: 'Security code',
    cvcHint: '3 digits (Amex: 4)',
    name: 'Name on card',
    optional: 'optional',
    save: 'Save card',
    cancel: 'Cancel',
    testCardsHeading: 'Test mode — use these cards',
    testCardsIntro:
      'Any future expiry date and any security code work. ' + 'Any other valid card number behaves like the first one.',
    use: 'Use',
    behaviours: {
      succeeds: 'Every charge succeeds.',
      declines_charges: 'Saves, but every charge is declined.',
      insufficient_funds: 'Saves, but every charge is declined for insufficient funds.',
      declined_at_setup: 'Refused when saving: card declined.',
      expired: 'Refused when saving: card expired.',
    },
    unknownTitle: 'Form not found',
    unknown: 'This card form does not exist. Please close it and start again.',
    expiredTitle: 'Form expired',
    expired: 'This card form has expired. Please close it and start again.',
    usedTitle: 'Card already added',
    used: 'This card form has already been used. Please close it and start again to add another card.',
    script: {
      numberRequired: 'Enter the card number.',
      numberInvalid: 'This card number is not valid. Please check it.',
      expiryRequired: 'Enter the expiry date.',
      expiryInvalid: 'Enter the expiry date as MM/YY, for example 08/29.',
      expiryPast: 'This card has expired. Please use another card.',
      cvcRequired: 'Enter the security code.',
      cvc3: 'The security code is 3 digits.',
      cvc4: 'The security code is 4 digits.',
      fixFields: 'Please correct the marked fields.',
      sent: 'Card checked. Saving…',
      noParent: "This form only works inside the store's website. Please start again from there.",
    },
  },
  de: {
    title: 'Karte hinzufügen',
    badge: 'Testmodus',
    intro:
      'Es wird kein echtes Geld bewegt. Ihre Kartendaten bleiben auf dieser Seite: Nur ein Token wird weitergegeben.',
    cardNumber: 'Kartennummer',
    expiry: 'Ablaufdatum',
    expiryHint: 'MM/JJ',
    cvc: 'Prüfnummer',
    cvcHint: '3 Ziffern (Amex: 4)',
    name: 'Name auf der Karte',
    optional: 'optional',
    save: 'Karte speichern',
    cancel: 'Abbrechen',
    testCardsHeading: 'Testmodus — verwenden Sie diese Karten',
    testCardsIntro:
      'Jedes künftige Ablaufdatum und jede Prüfnummer funktionieren. ' +
      'Jede andere gültige Kartennummer verhält sich wie die erste.',
    use: 'Verwenden',
    behaviours: {
      succeeds: 'Jede Abbuchung gelingt.',
      declines_charges: 'Wird gespeichert, aber jede Abbuchung wird abgelehnt.',
      insufficient_funds: 'Wird gespeichert, aber jede Abbuchung wird mangels Deckung abgelehnt.',
      declined_at_setup: 'Wird beim Speichern abgelehnt: Karte abgelehnt.',
      expired: 'Wird beim Speichern abgelehnt: Karte abgelaufen.',
    },
    unknownTitle: 'Formular nicht gefunden',
    unknown: 'Dieses Kartenformular gibt es nicht. Bitte schließen Sie es und beginnen Sie neu.',
    expiredTitle: 'Formular abgelaufen',
    expired: 'Dieses Kartenformular ist abgelaufen. Bitte schließen Sie es und beginnen Sie neu.',
    usedTitle: 'Karte bereits hinzugefügt',
    used: 'Dieses Kartenformular wurde bereits verwendet. Bitte beginnen Sie neu, um eine weitere Karte hinzuzufügen.',
    script: {
      numberRequired: 'Geben Sie die Kartennummer ein.',
      numberInvalid: 'Diese Kartennummer ist ungültig. Bitte prüfen Sie sie.',
      expiryRequired: 'Geben Sie das Ablaufdatum ein.',
      expiryInvalid: 'Geben Sie das Ablaufdatum als MM/JJ ein, zum Beispiel 08/29.',
      expiryPast: 'Diese Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.',
      cvcRequired: 'Geben Sie die Prüfnummer ein.',
      cvc3: 'Die Prüfnummer hat 3 Ziffern.',
      cvc4: 'Die Prüfnummer hat 4 Ziffern.',
      fixFields: 'Bitte korrigieren Sie die markierten Felder.',
      sent: 'Karte geprüft. Wird gespeichert …',
      noParent: 'Dieses Formular funktioniert nur innerhalb der Website des Shops. Bitte beginnen Sie dort neu.',
    },
  },
};
