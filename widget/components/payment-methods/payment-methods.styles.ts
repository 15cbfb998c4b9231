import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    container: ap-payment-methods / inline-size;
    --_muted: var(--ap-payment-methods-muted-color, var(--ap-color-muted));
    --_danger: var(--ap-payment-methods-danger-color, var(--ap-color-danger));
    --_warning: var(--ap-payment-methods-warning-color, var(--ap-color-warning));
    --_default: var(--ap-payment-methods-default-color, var(--ap-color-primary-text));
  }
  /* One column that never grows past the container (an auto column would take the rows' max-content width). */
  .base { display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--ap-payment-methods-gap, var(--ap-space-m)); }
  .head { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: var(--ap-space-s) var(--ap-space-m); }
  .head > div { flex: 1 1 18rem; }
  .title { font-size: 1.25rem; line-height: 1.3; outline: none; }
  .subtitle { font-size: 1.0625rem; line-height: 1.3; }
  .muted, .intro, .expiry, .usage, .hint { color: var(--_muted); }
  .intro { font-size: 0.9375rem; }

  .notice { font-weight: 500; }
  /* Empty live regions stay in the tree (so that what appears later is announced) but take no room. */
  .notice:empty, .saving:empty, .dialog-problem:empty {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  }
  .notice.success { color: var(--ap-color-success); }
  .notice.problem { color: var(--_danger); }

  .list { padding: 0; }
  .method {
    display: grid; grid-template-columns: auto minmax(0, 1fr) auto; align-items: center; gap: var(--ap-space-s) var(--ap-space-m);
    padding: var(--ap-payment-methods-row-padding, var(--ap-space-m) var(--ap-space-l));
  }
  .method + .method { border-top: 1px solid var(--ap-color-border); }
  .mark { display: block; width: 2.75rem; height: 1.75rem; color: var(--_muted); }
  .mark svg { display: block; width: 100%; height: 100%; }
  .mark.skeleton { border-radius: 4px; }
  .details { display: grid; gap: 0.125rem; min-width: 0; }
  .name { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-xs) var(--ap-space-s); font-weight: 600; }
  .name-text { outline: none; font-variant-numeric: tabular-nums; }
  .name-text:focus-visible { outline: 2px solid var(--ap-color-focus); outline-offset: 2px; border-radius: 2px; }
  .expiry, .usage { font-size: 0.875rem; }
  .expiry.expired { color: var(--_danger); font-weight: 500; }
  .is-expired .mark { opacity: 0.55; }
  .badges { display: inline-flex; flex-wrap: wrap; gap: var(--ap-space-xs); }
  .badge {
    display: inline-block; padding: 0 var(--ap-space-s); border-radius: 999px; white-space: nowrap;
    font-size: 0.75rem; font-weight: 600; line-height: 1.375rem;
  }
  .badge.default { background: color-mix(in srgb, var(--_default) 12%, var(--ap-color-background)); color: var(--_default); }
  .badge.expired { background: color-mix(in srgb, var(--_danger) 12%, var(--ap-color-background)); color: var(--_danger); }
  .badge.soon { background: color-mix(in srgb, var(--_warning) 14%, var(--ap-color-background)); color: var(--_warning); }
  .actions { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: var(--ap-space-s); }
  .actions .button { min-height: 2.25rem; font-size: 0.875rem; padding: 0 var(--ap-space-s); }
  .button.danger { color: var(--_danger); }
  .button.danger:not(.secondary) { background: var(--_danger); color: var(--ap-color-on-danger); }
  .skeleton-row .details { gap: var(--ap-space-xs); }
  .w-name { width: 9rem; height: 1.25rem; } .w-expiry { width: 6rem; height: 1rem; }

  .empty { display: grid; gap: var(--ap-space-s); justify-items: center; text-align: center; padding-block: var(--ap-space-xl); }
  .empty svg { width: 3rem; height: 3rem; color: var(--_muted); }
  .empty-title { font-size: 1.125rem; font-weight: 600; }
  .empty .button { margin-top: var(--ap-space-s); }
  .problem { display: grid; gap: var(--ap-space-m); justify-items: start; }

  .subscriptions, .subscription-list, .subscription { display: grid; grid-template-columns: minmax(0, 1fr); }
  .subscriptions { gap: var(--ap-space-s); }
  .subscription { gap: var(--ap-space-xs); padding-block: var(--ap-space-m); }
  .subscription + .subscription { border-top: 1px solid var(--ap-color-border); }
  .subscription:last-child { padding-bottom: 0; }
  .subscription label, .subscription .label { margin: 0; font-weight: 600; }
  .hint { font-size: 0.875rem; }
  .hint.manual { color: var(--_warning); }
  .choice { display: flex; flex-wrap: wrap; gap: var(--ap-space-s); align-items: center; margin-top: var(--ap-space-xs); }
  .choice select { flex: 1 1 14rem; width: auto; min-width: 0; max-width: 24rem; }
  .saving { font-size: 0.875rem; color: var(--_muted); }

  .dialog-problem { color: var(--_danger); font-weight: 600; }
  .remove-dialog p + p { margin-top: var(--ap-space-s); }

  @container ap-payment-methods (max-width: 34rem) {
    .method { grid-template-columns: auto minmax(0, 1fr); padding: var(--ap-space-m); }
    .actions { grid-column: 1 / -1; justify-content: flex-start; }
    .head .button { width: 100%; }
    .subscriptions { padding: var(--ap-space-m); }
  }
`;
