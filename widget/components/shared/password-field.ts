import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { warningIcon } from './icons';

/** One password input: what it is for, and what to say under it. */
export interface PasswordFieldSpec {
  id: string;
  label: string;
  /** `current-password` for the one the customer has, `new-password` for one they choose (password managers offer to make one). */
  autocomplete: 'current-password' | 'new-password';
  /** Shown as text ("Show password" is checked). */
  shown: boolean;
  hint?: string;
  /** The problem with it, in words; the input is then marked invalid and names it. */
  error?: string;
  disabled?: boolean;
}

/**
 * A labelled password input with its hint and problem, both named by
 * `aria-describedby`, so a screen reader reads them with the field. Its value is
 * read from the form on submit, never kept in the element's state.
 */
export function passwordField(spec: PasswordFieldSpec): TemplateResult {
  const { id, hint, error } = spec;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`
    <div class="field wide" part="field">
      <label for=${id} part="label">${spec.label}</label>
      <input id=${id} name=${id} part="input" type=${spec.shown ? 'text' : 'password'} autocomplete=${spec.autocomplete}
        autocapitalize="off" spellcheck="false" required ?disabled=${spec.disabled}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${ifDefined(described || undefined)}>
      ${hint ? html`<p id="${id}-hint" class="hint" part="hint">${hint}</p>` : nothing}
      ${
        error
          ? html`<p id="${id}-error" class="field-error" part="error">
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${warningIcon}</svg><span>${error}</span></p>`
          : nothing
      }
    </div>`;
}

/** The "Show password" checkbox that turns the form's password inputs into text and back. */
export function showPasswordToggle(id: string, label: string, shown: boolean, onToggle: (shown: boolean) => void) {
  return html`
    <div class="field check wide" part="field">
      <input id=${id} type="checkbox" part="checkbox" .checked=${shown}
        @change=${(e: Event) => onToggle((e.target as HTMLInputElement).checked)}>
      <label for=${id}>${label}</label>
    </div>`;
}

/** The value of a form's input by name. */
export const formValue = (form: HTMLFormElement, name: string): string =>
  (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
