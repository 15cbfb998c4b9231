import { ContextProvider } from '@lit/context';
import { nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { directionOf } from '../../server/contract';
import type { ApSignIn } from '../components/sign-in/sign-in';
import { portalContext, type PortalServices } from '../context/portal-context';
import { SessionController } from '../controllers/session-controller';
import {
  ApAccountUpdatedEvent,
  ApErrorEvent,
  ApNavigateEvent,
  ApSessionExpiredEvent,
  ApSignedInEvent,
  ApSignedOutEvent,
} from '../events';
import type { PortalAction } from '../events/error';
import { portalApiBase, scriptUrl } from '../internal/api-base';
import { ApiError, PortalApiClient, type Session } from '../internal/api-client';
import { firstScreenRequest } from '../internal/first-screen';
import { takeHeadStart } from '../internal/head-start';
import { warmUpFormatting } from '../internal/intl-warm-up';
import { isDefined, loadElement } from '../internal/lazy-elements';
import type { Localizer } from '../internal/localizer';
import { loadLocalizer } from '../internal/localizer-loader';
import { PortalElement } from '../internal/portal-element';
import { hasCode } from '../internal/problem-text';
import { formatRoute, isSameScreen, parseRoute, routeAllowed, tabs, type Route } from '../internal/routes';
import { themeCss } from '../internal/theme';
import type { PortalAccountView, PortalConfig, SessionScope, Theme } from '../internal/types';
import {
  removeTokensFromAddressBar,
  resetTokenFrom,
  sameToken,
  tokenFrom,
  type FoundToken,
} from '../internal/url-tokens';
import { componentStyles } from '../styles/component.styles';
import { tokens } from '../styles/tokens.styles';
import { panelTag, renderPortal } from './account-portal.render';
import { styles } from './account-portal.styles';
import { TabStripController } from './tab-strip';

/**
 * The customer account portal: sign-in, orders with license keys and downloads, and
 * the account's contact and billing details, themed like the store's checkout.
 *
 * A session from a pre-authenticated URL may carry the merchant's limits: the
 * portal then shows only the tabs and buttons the session may use, and opens at
 * the URL's landing route.
 *
 * Besides its own parts (`base` to `panel`), it re-exports the parts of the screens
 * in its tabs, so that `account-portal::part(card)` reaches the cards of every tab;
 * each screen element's reference says more about them.
 *
 * Every event bubbles out of the portal's shadow root (`composed`), so a listener on
 * `<account-portal>` (or any ancestor) hears them all, whichever screen fired them.
 * The `ap-request-*` events are cancelable and fire before the widget acts: a host
 * that calls `preventDefault()` runs its own flow, then calls the event's
 * `continue()` (the widget goes ahead with exactly that request) or the portal's
 * `refresh()` (after changing things through the Server API).
 *
 * @summary A self-service customer account portal for one store.
 *
 * @event {ApSignedInEvent} ap-signed-in - The customer signed in (link, pre-authenticated or management URL, password, or a password reset).
 * @event {ApSignedOutEvent} ap-signed-out - The customer signed out (the button, or `signOut()`).
 * @event {ApSessionExpiredEvent} ap-session-expired - The server said the session expired; the portal asks the customer to sign in again.
 * @event {ApSignInLinkRequestedEvent} ap-sign-in-link-requested - The server accepted a request for a sign-in link (the first, or "Send the link again").
 * @event {ApPasswordResetRequestedEvent} ap-password-reset-requested - The server accepted a request for a link to choose a new password ("Forgot your password?").
 * @event {ApPasswordChangedEvent} ap-password-changed - The customer set, changed or reset their password.
 * @event {ApNavigateEvent} ap-navigate - The portal moved to another screen (a tab, an order, a subscription, one of its dialogs).
 * @event {ApAccountUpdatedEvent} ap-account-updated - The customer saved their contact or billing details.
 * @event {ApDownloadStartedEvent} ap-download-started - A purchased file, an invoice (PDF or e-invoice) or a credit note was handed to the browser.
 * @event {ApLicenseKeyCopiedEvent} ap-license-key-copied - The customer copied a licence key with its Copy button.
 * @event {ApInvoiceCorrectedEvent} ap-invoice-corrected - The customer corrected an invoice's billing details, which made a new revision.
 * @event {ApRequestChangePlanEvent} ap-request-change-plan - The customer asked to change a subscription's plan or quantity, before the dialog opens.
 * @event {ApRequestCancelSubscriptionEvent} ap-request-cancel-subscription - The customer asked to cancel a subscription, before the dialog opens: the place for a retention offer.
 * @event {ApRequestPauseSubscriptionEvent} ap-request-pause-subscription - The customer asked to pause a subscription, before the dialog opens.
 * @event {ApRequestRenewSubscriptionEvent} ap-request-renew-subscription - The customer asked to pay a manual-renewal subscription's next period now, before the dialog opens.
 * @event {ApSubscriptionChangedEvent} ap-subscription-changed - A plan or quantity change was applied or scheduled, a scheduled change undone, or a renewal payment the bank held was confirmed.
 * @event {ApSubscriptionCanceledEvent} ap-subscription-canceled - The customer canceled a subscription (at the period's end, or now).
 * @event {ApSubscriptionPausedEvent} ap-subscription-paused - The customer paused a subscription.
 * @event {ApSubscriptionResumedEvent} ap-subscription-resumed - The customer took back a pending cancellation or ended a pause.
 * @event {ApSubscriptionRenewedEvent} ap-subscription-renewed - The customer paid a subscription's next period with "Renew now".
 * @event {ApRequestUpdatePaymentMethodEvent} ap-request-update-payment-method - The customer asked to add or replace a card (on the payment methods tab, or for a subscription), before the card form opens (or, from a subscription, before the portal opens the Payment methods tab).
 * @event {ApRequestRemovePaymentMethodEvent} ap-request-remove-payment-method - The customer asked to remove a card, before the confirmation opens.
 * @event {ApPaymentMethodUpdatedEvent} ap-payment-method-updated - The customer added, replaced or removed a card, made one the default, or chose the card a subscription is charged with.
 * @event {ApDataExportedEvent} ap-data-exported - The customer downloaded their data (Account tab, "Your data").
 * @event {ApErrorEvent} ap-error - Something the customer asked for failed, or a screen could not load. `action` says what they were doing.
 *
 * @csspart base - The portal's outer wrapper.
 * @csspart header - The top bar with the store's name and the sign-out button.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - The area showing the current tab.
 * @csspart card - Every card: the portal's own (loading, problems) and those of the screens.
 * @csspart button - Every button: sign out, "Try again" and those of the screens.
 * @csspart link - The support contact in the footer, and the links from the lists to an order or a subscription.
 * @csspart orders-base - The orders list (`base` of `<ap-orders>`).
 * @csspart order-detail-base - The order screen (`base` of `<ap-order-detail>`).
 * @csspart subscriptions-base - The subscriptions list (`base` of `<ap-subscriptions>`).
 * @csspart subscription-detail-base - The subscription screen (`base` of `<ap-subscription-detail>`).
 * @csspart payment-methods-base - The payment methods screen (`base` of `<ap-payment-methods>`).
 * @csspart activity-base - The activity log in the Account tab (`base` of `<ap-activity>`).
 * @csspart title - Each screen's heading.
 * @csspart status - Status badges of orders and subscriptions, and the outcome of an action on the account and payment methods screens.
 * @csspart back-link - The link back to the list on the order and subscription screens.
 * @csspart table - The table of orders.
 * @csspart row - Each order's row and each subscription's card in the lists.
 * @csspart entry - Each entry of the activity log.
 * @csspart items - An order's items.
 * @csspart totals - An order's subtotal, discount, tax and total.
 * @csspart gift - The gift card of an order.
 * @csspart gift-message - The gift message.
 * @csspart fulfilment - The cards with an item's license keys, downloads and instructions.
 * @csspart instructions - An item's instructions.
 * @csspart license-key - Each `<ap-license-key>`.
 * @csspart licence-key - Each `<ap-license-key>`: the deprecated name of `license-key`.
 * @csspart key - The license key text.
 * @csspart copy-button - The Copy buttons of the license keys.
 * @csspart download-button - The download buttons.
 * @csspart field - The wrapper of one label, control, hint and error on the account screen.
 * @csspart label - Field labels on the account screen, and each subscription's name above its card select.
 * @csspart input - Text inputs and selects.
 * @csspart checkbox - The "I am buying as a business" checkbox.
 * @csspart business - The group of business fields on the account screen.
 * @csspart hint - Help text under a field.
 * @csspart error - A field's error message, and problems on the subscription screen.
 * @csspart summary - The "please correct the highlighted fields" message next to a Save button.
 * @csspart feedback - The line announcing what just happened on the subscription screen.
 * @csspart method - Each saved payment method's row.
 * @csspart brand - A payment method's brand mark.
 * @csspart badge - The "Default", "Expired" and "Expires soon" badges of payment methods.
 * @csspart subscription - Each subscription's row on the payment methods screen.
 * @csspart dialog - The panel of every dialog: the subscription's (change, cancel, pause, renew) and the payment methods' (remove, add).
 * @csspart dialog-header - A dialog's bar with its title and close button.
 * @csspart dialog-title - A dialog's title.
 * @csspart dialog-close-button - A dialog's close button.
 * @csspart dialog-body - The wrapper of a dialog's content.
 * @csspart dialog-footer - The wrapper of a dialog's buttons.
 * @csspart frame - The iframe with the payment gateway's card form.
 *
 * @cssproperty --ap-color-primary - Buttons, and the tint of links, the active tab and badges. Defaults to the checkout theme's primary colour (in the dark, its dark palette's, or the primary lightened until it reads on the built-in dark background).
 * @cssproperty --ap-color-on-primary - Text on the primary colour: white or near-black, whichever reads at 4.5:1.
 * @cssproperty --ap-color-primary-text - The primary colour as text: links, the active tab, badges, checked options. Defaults to `--ap-color-primary`, or a darker (lighter, in the dark) shade of it where that falls short of 4.5:1 on the background or surface.
 * @cssproperty --ap-color-text - Body text.
 * @cssproperty --ap-color-muted - Secondary text. Defaults to the text colour mixed into the background, as far as 4.5:1 allows.
 * @cssproperty --ap-color-background - Cards and inputs.
 * @cssproperty --ap-color-surface - The portal's backdrop and table stripes.
 * @cssproperty --ap-color-border - Borders and dividers.
 * @cssproperty --ap-color-focus - Focus rings. Defaults to `--ap-color-primary-text`.
 * @cssproperty --ap-color-danger - Errors, the remove and cancel buttons. Fitted to 4.5:1 on the theme's background, light or dark.
 * @cssproperty --ap-color-on-danger - Text on danger buttons.
 * @cssproperty --ap-color-success - Confirmations and the "Active" and "Completed" badges. Fitted like the danger colour.
 * @cssproperty --ap-color-on-success - Text on the success colour (the "Copied" button).
 * @cssproperty --ap-color-warning - The "Expires soon" badge. Fitted like the danger colour.
 * @cssproperty --ap-font-family - The font. Defaults to the checkout theme's font.
 * @cssproperty --ap-radius - Corner radius of cards, buttons and inputs.
 */
export class AccountPortal extends PortalElement {
  static override styles = [tokens, componentStyles, styles];

  /** The store's id, as in `/portal/{store}`. Required. */
  @property() store = '';

  /**
   * Where the portal server is (`https://portal.example.com`). Required when the widget
   * is bundled into your own code or copied to a CDN; defaults to the script's origin
   * when the script comes from the portal server (`/widget/account-portal.js`).
   */
  @property({ attribute: 'api-base' }) apiBase = '';

  /** A pre-authenticated URL from the Server API's `/api/accounts/{id}/authenticate` (or just its token). */
  @property({ attribute: 'auth-url' }) authUrl = '';

  /**
   * Language override (`en`, `de`, `ar`, any of the thirty). Otherwise the account's language, then the page's,
   * then the browser's. The element's `dir` follows it (`rtl` for Arabic and Hebrew).
   */
  @property({ reflect: true }) override lang = '';

  /** Leaves the page's URL alone (for SaaS panels that own the URL); the `route` property drives navigation. */
  @property({ type: Boolean, attribute: 'no-hash-routing' }) noHashRouting = false;

  /** The current screen's path (`/orders`, `/orders/ord_…`, `/account`) when `no-hash-routing` is set. */
  @property() route = '';

  /**
   * A theme to show instead of the store's checkout theme, such as one being edited (the
   * theme editor's live preview): the shape of `theme` in `GET /portal/{store}/config`.
   * Colours, dark palette, font, radius and logo apply at once. Null shows the store's.
   */
  @property({ attribute: false }) theme: Theme | null = null;

  @state() private config: PortalConfig | null = null;
  @state() private fatal: ApiError | null = null;
  @state() private signInProblem: { error: ApiError; found: FoundToken | null } | null = null;
  @state() private hashRoute = '';
  /** The token of the password reset link the customer arrived with, until they chose a password. */
  @state() private resetToken = '';
  /** The tag whose chunk failed to load, until "Try again" or another screen. */
  @state() private failedChunk = '';

  @query('[role="tabpanel"]') private panel?: HTMLElement;

  private api!: PortalApiClient;
  private i18n?: Localizer;
  private session!: SessionController;
  private readonly provider = new ContextProvider(this, { context: portalContext });
  // Keeps the selected tab in view on narrow screens and shows that the strip scrolls.
  private readonly tabStrip = new TabStripController(this);
  private themeSheet: CSSStyleSheet | null = null;
  private redeemedAuthUrl = '';
  /** Where a redemption in progress will land (the route in its link), if anywhere. */
  private landingRoute: Route | null = null;
  private focusPanel = false;
  /** What takes the focus once it is rendered, after an action removed the focused button (sign out, "Try again"). */
  private focusNext: 'sign-in' | 'screen' | null = null;
  private revision = 0;
  /** Where focus goes after the next hash change (set by in-portal navigation; back/forward focus the panel). */
  private nextFocus: 'panel' | 'tab' = 'panel';

  override connectedCallback(): void {
    super.connectedCallback();
    // The portal's own direction, never the host page's: left to right until a right-to-left language arrives.
    this.dir = directionOf(this.i18n?.language ?? 'en');
    // Failures are reported when the portal sets up its translations (setUpLocalizer).
    loadLocalizer().catch(() => {});
    window.addEventListener('hashchange', this.onHashChange);
    this.hashRoute = location.hash;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Signs the customer out (also ends the session on the server). */
  async signOut(): Promise<void> {
    // Focus inside the portal would be lost with the screen it is on: it goes to the sign-in heading.
    const hadFocus = this.matches(':focus-within');
    await this.session?.signOut();
    if (hadFocus) {
      this.focusNext = 'sign-in';
      this.requestUpdate();
    }
    this.dispatchEvent(new ApSignedOutEvent());
  }

  /**
   * Shows another screen: `/orders`, `/orders/{id}`, `/subscriptions`, `/subscriptions/{id}`
   * (`/cancel`, `/change`, `/pause`), `/payment-methods`, `/account`, `/account/activity` (with or
   * without a leading `#`). A screen the session may not use shows the first one it may.
   */
  navigate(route: string): void {
    this.go(parseRoute(route));
  }

  /** Loads the current screen's data again (after the host page changed something through the Server API). */
  refresh(): void {
    this.revision += 1;
    this.publish();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('store') || changed.has('apiBase')) && this.store) this.setUp();
    if (changed.has('authUrl') && this.authUrl && this.authUrl !== this.redeemedAuthUrl && this.api?.apiBase) {
      void this.signInWith(tokenFrom(this.authUrl), false);
    }
    if (changed.has('lang')) void this.applyLanguage();
    if (changed.has('theme') && this.config) {
      this.applyTheme(this.config);
      this.publish();
    }
    if (this.session?.state === 'signed-in') {
      // A screen the session may not use (a tab a merchant's limits take away) is never shown: its address moves on.
      if (!this.mayOpen(this.currentRoute)) this.go(this.shownRoute);
      this.loadScreen(this.shownRoute);
    }
  }

  /** Whether the signed-in session may open `route` (its tab, and a dialog's action). */
  private mayOpen(route: Route): boolean {
    return routeAllowed(route, (permission) => this.session.may(permission));
  }

  /**
   * The screen to show: the current route when the session may open it; a
   * subscription without the dialog it may not open; else its landing route, else
   * the first tab it may use.
   */
  private get shownRoute(): Route {
    const current = this.currentRoute;
    if (!this.session || this.mayOpen(current)) return current;
    if (current.name === 'subscription' && this.mayOpen({ name: 'subscription', id: current.id })) {
      return { name: 'subscription', id: current.id };
    }
    const landing = this.session.scope?.landingRoute;
    if (landing && this.mayOpen(parseRoute(landing))) return parseRoute(landing);
    const tab = tabs.find((t) => this.mayOpen({ name: t.id }));
    return { name: tab?.id ?? 'orders' };
  }

  /**
   * Loads the chunk of a screen that is not defined yet; the panel shows its loading
   * card meanwhile and the screen once its element is defined.
   */
  private loadScreen(route: Route, prefetch = false): void {
    const tag = panelTag(route);
    if (tag === 'ap-orders' || isDefined(tag) || (!prefetch && this.failedChunk === tag)) return;
    loadElement(tag).then(
      () => this.requestUpdate(),
      (error: unknown) => {
        if (prefetch) return;
        this.failedChunk = tag;
        this.report(new ApiError(0, 'network_error', `The ${tag} module could not be loaded: ${String(error)}`));
      },
    );
  }

  protected override updated(): void {
    if (this.focusNext === 'screen' && this.panel) this.focusPanel = true;
    if (this.focusPanel && this.panel) {
      this.focusPanel = false;
      this.focusNext = null;
      const route = this.shownRoute;
      const activity = route.name === 'account' && route.section ? this.panel.querySelector('ap-activity') : null;
      if (activity) void activity.focusHeading();
      else this.panel.focus({ preventScroll: false });
    }
    const signIn = this.focusNext ? this.renderRoot.querySelector<ApSignIn>('ap-sign-in') : null;
    if (signIn) {
      this.focusNext = null;
      void signIn.focusHeading();
    }
  }

  /** "Try again" after the config failed: focus waits on the portal and goes to the screen that loads. */
  private retryConfig(): void {
    this.fatal = null;
    this.focusNext = 'screen';
    void this.loadConfig();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.portal')?.focus());
  }

  private setUp(): void {
    const apiBase = portalApiBase(this.apiBase);
    this.fatal = null;
    const head = takeHeadStart(apiBase, this.store);
    this.api = head?.client ?? new PortalApiClient(apiBase, this.store);
    this.api.onSessionError = (error) => this.onSessionEnded(error);
    void this.setUpLocalizer(this.api);
    if (this.session) this.removeController(this.session);
    this.session = new SessionController(this, this.api, (account) => this.onSignedIn(account));
    this.publish();
    if (!apiBase) {
      // Without it every request (a sign-in token among them) would go to the page's own origin.
      const message =
        `<account-portal store="${this.store}">: set the api-base attribute to your portal server's URL ` +
        `(such as api-base="https://portal.example.com"). This copy of the widget was loaded from ${scriptUrl.href}, ` +
        "not from a portal server's /widget/account-portal.js, so it does not know where the Portal API is.";
      console.error(message);
      this.fatal = new ApiError(0, 'api_base_required', message);
      return;
    }
    void this.loadConfig();
    const found = tokenFrom(this.authUrl) ?? tokenFrom(location.href);
    const reset = resetTokenFrom(location.href);
    if (found) {
      const { redemption } = head ?? {};
      const started = redemption && sameToken(redemption.found, found) ? redemption.session : undefined;
      void this.signInWith(found, !tokenFrom(this.authUrl), started);
    } else if (reset) this.askForNewPassword(reset);
    else if (this.session.restore()) {
      this.prefetchOrders();
      void this.refreshAccount();
    }
  }

  /**
   * Asks for the first screen's data (the orders list's first page) as soon as there
   * is a session, in parallel with the config and the translations, rather than once
   * the tab renders. What the head start asked for with the same session is kept.
   */
  private prefetchOrders(): void {
    this.api.forget();
    const path = firstScreenRequest(this.session.scope, this.landingRoute, this.currentRoute);
    if (path) this.api.prefetch(path);
    warmUpFormatting();
  }

  /** Creates the portal's translations once their chunk is in; until then the portal shows a bare loading card. */
  private async setUpLocalizer(api: PortalApiClient): Promise<void> {
    let module: typeof import('../internal/localizer');
    try {
      module = await loadLocalizer();
    } catch (error) {
      this.fatal = new ApiError(0, 'network_error', `The widget's translations could not be loaded: ${String(error)}`);
      this.report(this.fatal);
      return;
    }
    if (this.api !== api) return;
    this.i18n = new module.Localizer(`${api.apiBase}/widget/i18n`);
    // A new services object tells every consuming part to re-render in the new language.
    this.i18n.subscribe(() => {
      this.dir = directionOf(this.i18n!.language);
      this.publish();
      this.requestUpdate();
    });
    this.publish();
    this.requestUpdate();
    void this.applyLanguage();
  }

  /** The store's config, with the `theme` property's theme and logo in place of the store's when one is set. */
  private get shownConfig(): PortalConfig | null {
    if (!this.config || !this.theme) return this.config;
    return { ...this.config, theme: this.theme, logoUrl: this.theme.logoUrl };
  }

  private publish(): void {
    const services: PortalServices = {
      api: this.api,
      // The parts render only after the translations arrived (see render()).
      i18n: this.i18n!,
      config: this.shownConfig,
      session: this.session,
      navigate: (route) => this.go(route),
      reportError: (error, action) => this.report(error, action),
      announce: (event) => this.dispatchEvent(event),
      accountUpdated: (account) => this.onAccountUpdated(account),
      revision: this.revision,
    };
    this.provider.setValue(services);
  }

  private async loadConfig(): Promise<void> {
    try {
      this.config = await this.api.get<PortalConfig>('/config');
      this.applyTheme(this.config);
      this.publish();
      void this.applyLanguage();
    } catch (error) {
      this.fatal = error instanceof ApiError ? error : new ApiError(0, 'network_error', String(error));
      this.report(error);
    }
  }

  private applyTheme(config: PortalConfig): void {
    this.themeSheet ??= new CSSStyleSheet();
    this.themeSheet.replaceSync(themeCss(this.theme ?? config.theme));
    const root = this.renderRoot as ShadowRoot;
    if (!root.adoptedStyleSheets.includes(this.themeSheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.themeSheet];
    }
  }

  private async applyLanguage(): Promise<void> {
    await this.i18n?.use(
      this.lang,
      this.session?.account?.language,
      document.documentElement.lang,
      ...navigator.languages,
    );
  }

  /**
   * Redeems a token from `auth-url` or the page's address. The session's landing
   * route (the merchant's choice) opens that screen, else a route in the link's fragment.
   */
  private async signInWith(
    found: FoundToken | null,
    fromAddressBar: boolean,
    started?: Promise<Session>,
  ): Promise<void> {
    if (!found) return;
    this.redeemedAuthUrl = this.authUrl;
    this.signInProblem = null;
    this.session.state = 'unknown';
    this.requestUpdate();
    this.landingRoute = found.route ? parseRoute(found.route) : null;
    try {
      await this.session.redeem(found.token, found.kind, started);
      const landing = this.session.scope?.landingRoute ?? found.route;
      if (landing) this.go(parseRoute(landing));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.signInProblem = { error, found };
      this.session.end('signed-out');
      this.report(error, 'sign-in');
    } finally {
      this.landingRoute = null;
      if (fromAddressBar) removeTokensFromAddressBar();
    }
  }

  /**
   * Arrived with a password reset link: the sign-in screen asks for the new password.
   * The token leaves the address bar at once (it is in memory until used).
   */
  private askForNewPassword(token: string): void {
    this.resetToken = token;
    removeTokensFromAddressBar();
    this.session.end('signed-out');
  }

  /** Reads the restored session's account and scope again (the stored copies may be older). */
  private async refreshAccount(): Promise<void> {
    try {
      const [account, scope] = await Promise.all([
        this.api.get<PortalAccountView>('/me'),
        this.api.get<SessionScope>('/sessions/current'),
      ]);
      this.session.updateAccount(account);
      this.session.updateScope(scope);
      this.publish();
      void this.applyLanguage();
    } catch {
      // An ended session was reported through onSessionEnded; other failures keep the stored copy.
    }
  }

  private onSignedIn(account: PortalAccountView): void {
    this.prefetchOrders();
    this.signInProblem = null;
    this.resetToken = '';
    this.focusPanel = true;
    void this.applyLanguage();
    this.dispatchEvent(new ApSignedInEvent(account));
  }

  private onAccountUpdated(account: PortalAccountView): void {
    this.session.updateAccount(account);
    void this.applyLanguage();
    this.dispatchEvent(new ApAccountUpdatedEvent(account));
  }

  private onSessionEnded(error: ApiError): void {
    if (this.session.state !== 'signed-in') return;
    if (hasCode(error, 'session_expired')) {
      this.session.end('expired');
      this.dispatchEvent(new ApSessionExpiredEvent(formatRoute(this.currentRoute)));
    } else {
      this.session.end('signed-out');
    }
  }

  private report(error: unknown, action: PortalAction | null = null): void {
    const apiError = error instanceof ApiError ? error : new ApiError(0, 'error', String(error));
    this.dispatchEvent(new ApErrorEvent(apiError.code, apiError.message, apiError.status, action));
  }

  private readonly onHashChange = () => {
    if (this.noHashRouting) return;
    const previous = this.currentRoute;
    const before = formatRoute(previous);
    this.hashRoute = location.hash;
    const after = formatRoute(this.currentRoute);
    if (before !== after) {
      this.focusPanel = this.nextFocus === 'panel' && !isSameScreen(previous, this.currentRoute);
      this.nextFocus = 'panel';
      this.dispatchEvent(new ApNavigateEvent(after));
    }
  };

  private get currentRoute(): Route {
    return parseRoute(this.noHashRouting ? this.route : this.hashRoute);
  }

  /**
   * Moves to a route. Focus goes to the new screen, except when the customer moves
   * between tabs with the tab list, where it stays on the tab (WAI-ARIA tabs).
   */
  private go(route: Route, focus: 'panel' | 'tab' = 'panel'): void {
    const path = formatRoute(route);
    if (this.noHashRouting) {
      if (path === formatRoute(this.currentRoute)) return;
      this.focusPanel = focus === 'panel' && !isSameScreen(this.currentRoute, route);
      this.route = path;
      this.dispatchEvent(new ApNavigateEvent(path));
    } else if (location.hash !== `#${path}`) {
      this.nextFocus = focus;
      location.hash = path;
    }
  }

  override render() {
    if (!this.i18n) return nothing;
    return renderPortal({
      // The parts render only after the translations arrived (see render()).
      i18n: this.i18n!,
      config: this.shownConfig,
      fatal: this.fatal,
      state: this.session.state,
      account: this.session.account,
      route: this.shownRoute,
      tabs: tabs.filter((tab) => this.mayOpen({ name: tab.id })),
      signInProblem: this.signInProblem,
      resetToken: this.resetToken,
      onSignOut: () => void this.signOut(),
      onRetry: () => this.retryConfig(),
      chunkFailed: this.failedChunk !== '' && this.failedChunk === panelTag(this.shownRoute),
      onRetryChunk: () => {
        this.failedChunk = '';
        this.focusPanel = true;
      },
      prefetch: (route) => this.loadScreen(route, true),
      go: (route, focus) => this.go(route, focus),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'account-portal': AccountPortal;
  }
}
