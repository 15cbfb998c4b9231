import { css } from 'lit';

export const styles = css`
  :host { display: block; container: ap-subscriptions / inline-size; }
  .base { display: grid; gap: var(--ap-space-m); }
  .list { display: grid; gap: var(--ap-subscription-card-gap, var(--ap-space-s)); }
  .item { position: relative; display: grid; gap: var(--ap-space-s); padding: var(--ap-space-m) var(--ap-space-l); }
  .item:hover { background: color-mix(in srgb, var(--ap-color-primary) 4%, var(--ap-color-background)); }
  .head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: var(--ap-space-xs) var(--ap-space-m); }
  .name { font-size: 1.0625rem; line-height: 1.5rem; min-width: 0; overflow-wrap: anywhere; }
  .name a { text-decoration: none; }
  .name a:hover { text-decoration: underline; }
  /* The name link covers its whole card, so that the card is one click target. */
  .name a::after { content: ''; position: absolute; inset: 0; border-radius: var(--ap-radius); }
  .name a:focus-visible { outline: none; }
  .name a:focus-visible::after { outline: 2px solid var(--ap-color-focus); outline-offset: -2px; }
  .name-skeleton { display: inline-block; height: 1.5rem; }
  .facts { display: grid; grid-template-columns: 0.6fr 1.2fr 1.4fr 1.2fr; gap: var(--ap-space-xs) var(--ap-space-m); }
  .fact { min-width: 0; }
  dt { font-size: 0.8125rem; font-weight: 600; color: var(--ap-subscription-muted); }
  dd { overflow-wrap: anywhere; }
  .skeleton { display: inline-block; vertical-align: middle; }
  .note { font-size: 0.875rem; }
  .more { display: flex; justify-content: center; }
  .empty { display: grid; gap: var(--ap-space-s); justify-items: center; text-align: center; padding-block: var(--ap-space-xl); }
  .empty svg { width: 3rem; height: 3rem; color: var(--ap-subscription-muted); }
  .empty-title { font-size: 1.125rem; font-weight: 600; }

  @container ap-subscriptions (max-width: 40rem) {
    .item { padding: var(--ap-space-m); }
    .facts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: var(--ap-space-s) var(--ap-space-m); }
  }
  /* Phones: one fact per line, label and value side by side. */
  @container ap-subscriptions (max-width: 24rem) {
    .facts { grid-template-columns: minmax(0, 1fr); gap: var(--ap-space-xs); }
    .fact { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0 var(--ap-space-s); }
    dd { text-align: end; margin-inline-start: auto; }
  }
`;
