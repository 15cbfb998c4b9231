import { css } from 'lit';

export const styles = css`
  :host { display: block; margin-block-start: var(--ap-activity-gap, var(--ap-space-l)); }
  .base { display: grid; gap: var(--ap-space-m); }
  .head { display: grid; gap: var(--ap-space-2xs, 0.125rem); }
  .title { font-size: 1.125rem; }
  .title:focus { outline: none; }
  .title:focus-visible { outline: 2px solid var(--ap-color-focus); outline-offset: 2px; }
  .intro { color: var(--ap-activity-muted-color, var(--ap-color-muted)); }
  .list-card { padding: 0; overflow: hidden; }
  ol { list-style: none; margin: 0; padding: 0; }
  li { display: grid; gap: var(--ap-space-2xs, 0.125rem); padding: var(--ap-space-s) var(--ap-space-l); }
  li + li { border-top: 1px solid var(--ap-color-border); }
  li:focus { outline: 2px solid var(--ap-color-focus); outline-offset: -2px; }
  .what { font-weight: 500; overflow-wrap: anywhere; }
  .detail, .meta { font-size: 0.875rem; color: var(--ap-activity-muted-color, var(--ap-color-muted)); overflow-wrap: anywhere; }
  .meta { display: flex; flex-wrap: wrap; column-gap: var(--ap-space-xs); }
  .meta span + span::before { content: '·'; margin-inline-end: var(--ap-space-xs); }
  .skeleton { display: inline-block; }
  .w-what { width: 14rem; max-width: 80%; } .w-meta { width: 9rem; max-width: 60%; }
  .more { display: flex; justify-content: center; }
  .empty { display: grid; gap: var(--ap-space-s); justify-items: center; text-align: center; padding-block: var(--ap-space-xl); }
  .empty svg { width: 3rem; height: 3rem; color: var(--ap-activity-muted-color, var(--ap-color-muted)); }
  .empty-title { font-size: 1.125rem; font-weight: 600; }
`;
