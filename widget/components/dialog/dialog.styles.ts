import { css } from 'lit';

export const styles = css`
  :host { display: contents; }
  .dialog {
    --_padding: var(--ap-dialog-padding, var(--ap-space-l));
    width: min(var(--ap-dialog-width, 32rem), calc(100vw - 2 * var(--ap-space-s)));
    max-width: none; max-height: calc(100dvh - 2 * var(--ap-space-m));
    padding: 0; border: 1px solid var(--ap-color-border); border-radius: var(--ap-radius);
    background: var(--ap-color-background); color: var(--ap-color-text);
    font-family: var(--ap-font-family); line-height: 1.5;
    box-shadow: var(--ap-dialog-shadow, 0 20px 50px -12px rgb(0 0 0 / 0.35));
    flex-direction: column; overflow: hidden;
  }
  .dialog[open] { display: flex; }
  .dialog::backdrop { background: var(--ap-dialog-backdrop, rgb(15 23 42 / 0.55)); }
  .header {
    display: flex; align-items: flex-start; justify-content: space-between; gap: var(--ap-space-m);
    padding: var(--_padding) var(--_padding) var(--ap-space-s);
  }
  .title { font-size: 1.125rem; line-height: 1.4; font-weight: 600; overflow-wrap: anywhere; }
  .close {
    flex: none; display: inline-grid; place-items: center; width: 2.5rem; height: 2.5rem;
    margin-block-start: calc(-1 * var(--ap-space-s)); margin-inline-end: calc(-1 * var(--ap-space-s));
    border: none; border-radius: var(--ap-radius); background: none; color: inherit; cursor: pointer;
  }
  .close:hover { background: var(--ap-color-surface); }
  .body { padding: 0 var(--_padding) var(--_padding); overflow: auto; overscroll-behavior: contain; }
  .body:focus-visible { outline-offset: -2px; }
  .footer {
    display: flex; flex-wrap: wrap; justify-content: flex-end; gap: var(--ap-space-s);
    padding: var(--ap-space-m) var(--_padding); border-top: 1px solid var(--ap-color-border);
    background: var(--ap-color-surface);
  }
  .footer.empty { padding: 0; border: none; }
  @media (prefers-reduced-motion: no-preference) {
    .dialog[open] { animation: ap-dialog-in 160ms ease-out; }
    @keyframes ap-dialog-in { from { opacity: 0; transform: translateY(0.5rem) scale(0.98); } }
  }
`;
