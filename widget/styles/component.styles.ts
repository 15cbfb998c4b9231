import { css } from 'lit';

/** The reset and shared bits every portal element starts from. */
export const componentStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--ap-font-family);
    font-size: var(--ap-font-size);
    color: var(--ap-color-text);
    line-height: 1.5;
  }
  :host([hidden]) { display: none !important; }
  *, *::before, *::after { box-sizing: inherit; }
  h1, h2, h3, p, ul, ol, dl, dd, figure { margin: 0; }
  ul, ol { padding: 0; list-style: none; }
  :focus-visible { outline: 2px solid var(--ap-color-focus); outline-offset: 2px; }
  .visually-hidden {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
  }
  .button {
    display: inline-flex; align-items: center; justify-content: center; gap: var(--ap-space-xs);
    min-height: 2.5rem; padding: 0 var(--ap-space-m); border: 1px solid transparent;
    border-radius: var(--ap-radius); font: inherit; font-weight: 600; cursor: pointer;
    background: var(--ap-color-primary); color: var(--ap-color-on-primary); text-decoration: none;
  }
  .button[disabled], .button[aria-disabled='true'] { opacity: 0.6; cursor: not-allowed; }
  .button.secondary {
    background: var(--ap-color-background); color: var(--ap-color-text); border-color: var(--ap-color-border);
  }
  .button.link {
    background: none; border: none; padding: 0; min-height: auto; color: var(--ap-color-primary-text);
    font-weight: 500; text-decoration: underline;
  }
  .card {
    background: var(--ap-color-background); border: 1px solid var(--ap-color-border);
    border-radius: var(--ap-radius); padding: var(--ap-space-l);
  }
  .muted { color: var(--ap-color-muted); }
  .error { color: var(--ap-color-danger); }
  .skeleton {
    display: block; border-radius: calc(var(--ap-radius) / 2);
    background: linear-gradient(90deg, var(--ap-color-surface), var(--ap-color-border), var(--ap-color-surface));
    background-size: 200% 100%; animation: ap-shimmer 1.4s ease-in-out infinite; color: transparent;
  }
  @keyframes ap-shimmer { from { background-position: 200% 0; } to { background-position: -200% 0; } }
  /* The shimmer runs in the reading direction. */
  .skeleton:dir(rtl) { animation-direction: reverse; }
  @media (prefers-reduced-motion: reduce) { .skeleton { animation: none; } }
  input, select, textarea {
    font: inherit; color: var(--ap-color-text); background: var(--ap-color-background);
    border: 1px solid var(--ap-color-border); border-radius: var(--ap-radius);
    min-height: 2.5rem; padding: 0 var(--ap-space-s); width: 100%;
  }
  input[aria-invalid='true'], select[aria-invalid='true'] { border-color: var(--ap-color-danger); }
  label { display: block; font-weight: 500; margin-bottom: var(--ap-space-xs); }
`;
