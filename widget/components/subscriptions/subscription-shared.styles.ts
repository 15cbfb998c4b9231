import { css } from 'lit';

/** Bits the subscriptions list, the detail and its dialogs share: state badges, headings, flags. */
export const subscriptionSharedStyles = css`
  :host {
    --ap-subscription-muted: var(--ap-subscription-muted-color, var(--ap-color-muted));
    --_good: var(--ap-subscription-active-color, var(--ap-color-success));
    --_note: var(--ap-subscription-notice-color, var(--ap-color-primary));
    --_bad: var(--ap-subscription-problem-color, var(--ap-color-danger));
  }
  .muted { color: var(--ap-subscription-muted); }
  .title { font-size: 1.25rem; line-height: 1.3; outline: none; overflow-wrap: anywhere; }
  a { color: var(--ap-color-primary); }
  .badge {
    display: inline-block; padding: 0 var(--ap-space-s); border-radius: 999px; white-space: nowrap;
    font-size: 0.8125rem; font-weight: 600; line-height: 1.5rem;
    background: color-mix(in srgb, var(--_good) 12%, var(--ap-color-background)); color: var(--_good);
  }
  .badge.trial, .badge.paused, .badge.pending_cancellation {
    background: color-mix(in srgb, var(--_note) 10%, var(--ap-color-background)); color: var(--_note);
  }
  .badge.overdue, .badge.action_required { background: color-mix(in srgb, var(--_bad) 10%, var(--ap-color-background)); color: var(--_bad); }
  .badge.canceled, .badge.deactivated {
    background: color-mix(in srgb, var(--ap-color-text) 8%, var(--ap-color-background)); color: var(--ap-subscription-muted);
  }
  .badge.skeleton { background: var(--ap-color-border); }
  .flag { font-size: 0.8125rem; font-weight: 600; }
  .flag.danger { color: var(--_bad); }
  .method { white-space: nowrap; }
  .problem { display: grid; gap: var(--ap-space-m); justify-items: start; }
  .button.danger { background: var(--_bad); color: var(--ap-color-on-primary); }
  /* Skeleton widths as classes, not inline styles: pages with a strict CSP forbid those. */
  .w-name { width: 10rem; } .w-short { width: 6rem; } .w-mid { width: 9rem; } .w-long { width: 14rem; }
`;
