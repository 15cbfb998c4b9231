import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Permission } from '../../server/contract';
import type { PortalApiClient, Session } from '../internal/api-client';
import type { PortalAccountView, SessionScope } from '../internal/types';

export type SessionState = 'unknown' | 'signed-out' | 'signed-in' | 'expired';

/**
 * Holds the customer's session: the token lives in memory and in `sessionStorage`
 * (per tab, gone when the tab closes — never `localStorage`), scoped to the API and
 * store. It signs in with a token from a link or a management URL, notices when
 * the server says the session ended, and knows what the session may do: a merchant
 * may have limited it (`scope`), and the portal hides what it may not use.
 */
export class SessionController implements ReactiveController {
  state: SessionState = 'unknown';
  account: PortalAccountView | null = null;
  /** What the session may do; null until the server said (the server refuses what it may not). */
  scope: SessionScope | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly api: PortalApiClient,
    /** Called after every successful sign-in, with how it happened. */
    private readonly onSignedIn: (account: PortalAccountView) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private get storageKey(): string {
    return `ap-session:${this.api.apiBase}:${this.api.store}`;
  }

  /** Picks up a session this tab already has; true when there was one. */
  restore(): boolean {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.storageKey) ?? 'null') as Session | null;
      if (saved && new Date(saved.expiresAt) > new Date()) {
        this.set(saved);
        return true;
      }
    } catch {
      // Storage may be unavailable (privacy modes); the customer simply signs in.
    }
    this.state = 'signed-out';
    this.host.requestUpdate();
    return false;
  }

  /** Redeems a single-use token (`token`) or a management URL token (`management`). */
  async redeem(
    token: string,
    kind: 'token' | 'management',
    /** The same redemption already under way (the portal's head start), to wait for instead of asking again. */
    started?: Promise<Session>,
  ): Promise<PortalAccountView> {
    const session = await (started ?? this.api.redeem(token, kind));
    this.set(session);
    this.onSignedIn(session.account);
    return session.account;
  }

  /** Signs in with email and password. */
  async signInWithPassword(email: string, password: string): Promise<PortalAccountView> {
    const session = await this.api.request<Session>('/sessions/password', {
      method: 'POST',
      body: { email, password },
      auth: false,
    });
    this.set(session);
    this.onSignedIn(session.account);
    return session.account;
  }

  /** Chooses a new password with the token of an emailed reset link, which signs the customer in. */
  async resetPassword(token: string, password: string): Promise<PortalAccountView> {
    const session = await this.api.request<Session>('/sessions/password-reset', {
      method: 'POST',
      body: { token, password },
      auth: false,
    });
    this.set(session);
    this.onSignedIn(session.account);
    return session.account;
  }

  set(session: Session): void {
    this.api.token = session.token;
    this.account = session.account;
    this.scope = session.scope ?? null;
    this.state = 'signed-in';
    this.save(session);
    this.host.requestUpdate();
  }

  /** Whether the session may do `permission`; one whose scope is not known yet may try (the server decides). */
  may(permission: Permission): boolean {
    return !this.scope || this.scope.permissions.includes(permission);
  }

  /** Keeps what the session may do as the server says it now. */
  updateScope(scope: SessionScope): void {
    this.scope = scope;
    this.patchSaved({ scope });
    this.host.requestUpdate();
  }

  /** Keeps the signed-in account current after the customer edited it. */
  updateAccount(account: PortalAccountView): void {
    this.account = account;
    this.patchSaved({ account });
    this.host.requestUpdate();
  }

  private patchSaved(changes: Partial<Session>): void {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.storageKey) ?? 'null') as Session | null;
      if (saved) this.save({ ...saved, ...changes });
    } catch {
      // Not persisted; the next load fetches it again.
    }
  }

  /** The server ended the session (`expired`) or it is unknown; forget it either way. */
  end(state: 'signed-out' | 'expired'): void {
    this.api.token = null;
    this.account = null;
    this.scope = null;
    this.state = state;
    try {
      sessionStorage.removeItem(this.storageKey);
    } catch {
      // Nothing stored.
    }
    this.host.requestUpdate();
  }

  async signOut(): Promise<void> {
    if (this.api.token)
      await this.api.request('/sessions/current', { method: 'DELETE', silent: true }).catch(() => undefined);
    this.end('signed-out');
  }

  private save(session: Session): void {
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify(session));
    } catch {
      // Without storage the session lasts as long as the page.
    }
  }
}
