import { css } from 'lit';

export const styles = css`
  :host { display: contents; }
  ap-dialog { --ap-dialog-width: var(--ap-payment-method-setup-width, 30rem); }
  /* The page has a padding of its own: let it reach the dialog's edges. */
  .frame {
    display: block; width: calc(100% + 2 * var(--ap-space-m)); margin-inline: calc(-1 * var(--ap-space-m));
    border: none; background: transparent; color-scheme: normal;
    /* Never taller than the dialog has room for: beyond that the page scrolls inside its own frame. */
    max-height: calc(100dvh - 11rem); min-height: 10rem;
  }
  .frame.sizing { height: 26rem; }
  .placeholder { display: grid; gap: var(--ap-space-s); }
  .placeholder .skeleton { height: 20rem; }
  .status { min-height: 1.5rem; font-size: 0.875rem; color: var(--ap-color-muted); }
  .status:empty { min-height: 0; }
  .status.problem { color: var(--ap-color-danger); font-weight: 600; }
`;
