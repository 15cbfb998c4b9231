import { css } from 'lit';

export const styles = css`
  :host { display: block; container-type: inline-size; }
  .portal {
    display: flex; flex-direction: column; gap: var(--ap-space-m);
    background: var(--ap-color-surface); border-radius: var(--ap-radius);
    padding: var(--ap-portal-padding, var(--ap-space-m)); min-width: 0;
  }
  .header { display: flex; align-items: center; justify-content: space-between; gap: var(--ap-space-m); flex-wrap: wrap; }
  .logo { display: block; max-height: 32px; max-width: 160px; }
  .store-name { font-weight: 700; font-size: 1.125rem; }
  .who { display: flex; align-items: center; gap: var(--ap-space-s); min-width: 0; flex-wrap: wrap; }
  .email { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 24ch; }
  .tabs { display: flex; gap: var(--ap-space-xs); border-bottom: 1px solid var(--ap-color-border); overflow-x: auto; }
  .tab {
    font: inherit; font-weight: 600; color: var(--ap-color-muted); background: none; border: none;
    border-bottom: 3px solid transparent; padding: var(--ap-space-s) var(--ap-space-m); cursor: pointer; white-space: nowrap;
  }
  .tab[aria-selected='true'] { color: var(--ap-color-primary); border-bottom-color: var(--ap-color-primary); }
  .tab:hover { color: var(--ap-color-text); }
  /* The panel takes focus after navigation so screen readers start there; it is a container, not a control. */
  .panel { min-height: 12rem; outline: none; }
  .redeeming { text-align: center; }
  /* A screen whose module is still loading: as tall as the panel, so the screen replaces it without a jump. */
  .pending { min-height: 12rem; display: flex; flex-direction: column; gap: var(--ap-space-s); }
  .pending-line { height: 1.25rem; width: 60%; }
  .pending-line.short { width: 35%; }
  .footer { font-size: 0.875rem; }
  .footer a { color: var(--ap-color-primary); }
  @container (max-width: 30rem) {
    .email { max-width: 16ch; }
    .tab { padding: var(--ap-space-s); }
  }
`;
