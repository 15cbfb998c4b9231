import { svg } from 'lit';

/** The warning triangle beside a field's problem (draw it in a 16 × 16 `viewBox`). */
export const warningIcon = svg`<path d="M8 1.5 15 14H1L8 1.5Z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>
  <path d="M8 6v3.5M8 11.5v.5" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>`;
