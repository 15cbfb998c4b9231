import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { Localizer, MessageKey } from '../../internal/localizer';
import { warningIcon } from '../shared/icons';
import type { TextFieldSpec } from './account-form.model';
import type { Choice } from './countries';

/** What every field of one section shares. */
export interface FieldScope {
  i18n: Localizer;
  /** Prefix of the section's element ids (`contact` → `contact-city`). */
  section: string;
  /** Nothing to edit yet (no account loaded). */
  disabled: boolean;
  /** Shown, not edited: the session may not change the account (a merchant's limits). */
  readonly?: boolean;
  /** The localised problem with a field, if the server reported one. */
  errorOf(key: string): string | undefined;
}

interface FieldExtras {
  hint?: string;
  required?: boolean;
}

export { warningIcon };

/** The ids a field's `aria-describedby` lists: its hint, then its error. */
function describedBy(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function messages(id: string, hint: string | undefined, error: string | undefined) {
  return html`
    ${hint ? html`<p id="${id}-hint" class="hint" part="hint">${hint}</p>` : nothing}
    ${
      error
        ? html`<p id="${id}-error" class="field-error" part="error">
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${warningIcon}</svg><span>${error}</span></p>`
        : nothing
    }`;
}

function label(scope: FieldScope, id: string, key: MessageKey, required: boolean | undefined) {
  return html`<label for=${id} part="label">${scope.i18n.t(key)}${
    required ? html` <span class="required" aria-hidden="true">${scope.i18n.t('account.required')}</span>` : nothing
  }</label>`;
}

/** A labelled text input bound to one draft value, with its hint and server error. */
export function textField(
  scope: FieldScope,
  spec: TextFieldSpec,
  value: string,
  onInput: (value: string) => void,
  extras: FieldExtras = {},
): TemplateResult {
  const id = `${scope.section}-${spec.key}`;
  const error = scope.errorOf(spec.key);
  return html`
    <div class="field ${spec.wide ? 'wide' : ''}" part="field">
      ${label(scope, id, spec.label, extras.required)}
      <input id=${id} name=${spec.key} part="input" type=${spec.type ?? 'text'} maxlength=${spec.max} dir=${spec.type === 'tel' ? 'ltr' : nothing}
        autocomplete=${ifDefined(spec.autocomplete)} autocapitalize=${spec.words ? 'words' : 'off'}
        spellcheck=${spec.words ? 'false' : nothing} ?required=${extras.required} ?disabled=${scope.disabled}
        ?readonly=${scope.readonly}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy(id, extras.hint, error))}
        .value=${live(value)} @input=${(e: InputEvent) => onInput((e.target as HTMLInputElement).value)}>
      ${messages(id, extras.hint, error)}
    </div>`;
}

export interface SelectSpec {
  key: string;
  label: MessageKey;
  autocomplete?: string;
  /** What the empty choice (`null` on the server) says. */
  empty: string;
  choices: readonly Choice[];
}

/**
 * A labelled `<select>`. Options carry the selection (`.selected`), because a
 * select's own `value` is set before its options exist on the first render.
 */
export function selectField(
  scope: FieldScope,
  spec: SelectSpec,
  value: string,
  onChange: (value: string) => void,
  extras: FieldExtras = {},
): TemplateResult {
  const id = `${scope.section}-${spec.key}`;
  const error = scope.errorOf(spec.key);
  const known = !value || spec.choices.some((choice) => choice.value === value);
  const choices = known ? spec.choices : [{ value, label: value }, ...spec.choices];
  return html`
    <div class="field" part="field">
      ${label(scope, id, spec.label, extras.required)}
      <select id=${id} name=${spec.key} part="input" autocomplete=${ifDefined(spec.autocomplete)}
        ?disabled=${scope.disabled || scope.readonly}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy(id, extras.hint, error))}
        @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="" .selected=${!value}>${spec.empty}</option>
        ${choices.map(
          (choice) => html`
          <option value=${choice.value} lang=${ifDefined(choice.lang)} .selected=${choice.value === value}>${choice.label}</option>`,
        )}
      </select>
      ${messages(id, extras.hint, error)}
    </div>`;
}

/** A checkbox with its label beside it. */
export function checkboxField(
  scope: FieldScope,
  key: string,
  labelKey: MessageKey,
  checked: boolean,
  onChange: (checked: boolean) => void,
): TemplateResult {
  const id = `${scope.section}-${key}`;
  const error = scope.errorOf(key);
  return html`
    <div class="field wide check" part="field">
      <input id=${id} name=${key} type="checkbox" part="checkbox" ?disabled=${scope.disabled || scope.readonly}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy(id, undefined, error))}
        .checked=${live(checked)} @change=${(e: Event) => onChange((e.target as HTMLInputElement).checked)}>
      <label for=${id} part="label">${scope.i18n.t(labelKey)}</label>
      ${messages(id, undefined, error)}
    </div>`;
}
