import { css } from 'lit';

export const styles = css`
  :host { display: block; }
  .sign-in { max-width: 28rem; margin: 0 auto; display: grid; gap: var(--ap-space-m); }
  h2 { font-size: 1.25rem; outline: none; }
  form { display: grid; gap: var(--ap-space-s); }
  form .button { margin-top: var(--ap-space-s); }
  .notice {
    padding: var(--ap-space-s) var(--ap-space-m); border-radius: var(--ap-radius);
    background: color-mix(in srgb, var(--ap-color-primary) 10%, var(--ap-color-background));
  }
  .actions { display: flex; flex-wrap: wrap; gap: var(--ap-space-m); align-items: center; }
`;
