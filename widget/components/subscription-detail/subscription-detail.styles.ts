import { css } from 'lit';

export const styles = css`
  :host { display: block; container: ap-subscription-detail / inline-size; }
  .base { display: grid; gap: var(--ap-subscription-section-gap, var(--ap-space-m)); }
  .back { justify-self: start; display: inline-flex; align-items: center; gap: var(--ap-space-xs); font-weight: 600; text-decoration: none; }
  .back:hover { text-decoration: underline; }
  .back svg { width: 1em; height: 1em; }
  /* The arrow points back, which is to the right in right-to-left text. */
  .back svg:dir(rtl) { transform: scaleX(-1); }
  .head { display: grid; gap: var(--ap-space-xs); }
  .head-line { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s) var(--ap-space-m); }
  .card { display: grid; gap: var(--ap-space-m); align-content: start; min-width: 0; }
  .cards { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: var(--ap-subscription-section-gap, var(--ap-space-m)); }
  h3 { font-size: 1.0625rem; line-height: 1.3; }
  .facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: var(--ap-space-s) var(--ap-space-l); }
  .facts dt { color: var(--ap-subscription-muted); }
  .facts dd { overflow-wrap: anywhere; }
  .sub-line { display: block; font-size: 0.875rem; }
  .row-actions, .notice-actions { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ap-space-s); }
  .button.cancel { color: var(--_bad); }
  .notice {
    display: grid; gap: var(--ap-space-s); padding: var(--ap-space-m); border-radius: var(--ap-radius);
    border: 1px solid color-mix(in srgb, var(--_note) 30%, var(--ap-color-border));
    border-inline-start: 4px solid var(--_note);
    background: color-mix(in srgb, var(--_note) 6%, var(--ap-color-background));
  }
  .notice.problem { border-color: color-mix(in srgb, var(--_bad) 35%, var(--ap-color-border)); border-inline-start-color: var(--_bad);
    background: color-mix(in srgb, var(--_bad) 6%, var(--ap-color-background)); }
  .notice.ended { border-color: var(--ap-color-border); border-inline-start-color: var(--ap-subscription-muted); background: var(--ap-color-background); }
  .hint { font-size: 0.875rem; }
  .feedback { font-weight: 600; color: var(--_good); }
  /* Empty, the live region stays in the accessibility tree but takes no room. */
  .feedback:not(.shown) { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .feedback.shown {
    padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: color-mix(in srgb, var(--_good) 10%, var(--ap-color-background));
  }
  .problem-line { color: var(--_bad); font-weight: 600; }
  .skeleton-line { display: block; height: 1.25rem; }
  .skeleton-title { display: block; height: 1.75rem; width: 12rem; max-width: 80%; }

  @container ap-subscription-detail (max-width: 40rem) {
    .cards { grid-template-columns: minmax(0, 1fr); }
    .card { padding: var(--ap-space-m); }
  }
  @container ap-subscription-detail (max-width: 22rem) {
    .facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
    .facts dd + dt { margin-top: var(--ap-space-s); }
  }
`;
