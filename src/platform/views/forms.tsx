import type { ComponentChildren } from 'preact';
import type { z } from 'zod';
import { usePage } from './context.js';

/** One message per field, in Russian; the key is the field's name. */
export type FieldErrors = Partial<Record<string, string>>;

/** The first message of each field, in the order the schema checked them. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

export function CsrfField() {
  const { csrfToken } = usePage();
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

/** GOV.UK error summary: every problem at once, each a link to its field. */
export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const { found } = usePage();
  const entries = Object.entries(errors).filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (entries.length === 0) return null;
  if (found) found.formErrors = true;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 class="error-summary__title" id="error-summary-title">
        Исправьте ошибки
      </h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldBase {
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string | undefined;
}

function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldMessages({
  name,
  hint,
  error,
}: {
  name: string;
  hint?: ComponentChildren;
  error?: string | undefined;
}) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${name}-error`}>
          <span class="visually-hidden">Ошибка: </span>
          {error}
        </p>
      )}
    </>
  );
}

export interface TextFieldProps extends FieldBase {
  value?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date' | 'search';
  autocomplete?: string;
  inputMode?: 'text' | 'email' | 'tel' | 'numeric';
  maxLength?: number;
  width?: 'short' | 'medium';
  required?: boolean;
}

export function TextField(props: TextFieldProps) {
  const {
    name,
    label,
    hint,
    error,
    value,
    type = 'text',
    autocomplete,
    inputMode,
    maxLength,
    width,
    required,
  } = props;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="label" for={name}>
        {label}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <input
        class={`input${width ? ` input--${width}` : ''}${error ? ' input--error' : ''}`}
        id={name}
        name={name}
        type={type}
        value={type === 'password' ? '' : (value ?? '')}
        autocomplete={autocomplete}
        inputMode={inputMode}
        maxLength={maxLength ?? 200}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
        required={required}
        spellcheck={type === 'email' || type === 'password' ? false : undefined}
      />
    </div>
  );
}

export interface SelectFieldProps extends FieldBase {
  value?: string | undefined;
  options: { value: string; label: string }[];
  placeholder?: string;
}

export function SelectField({ name, label, hint, error, value, options, placeholder }: SelectFieldProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="label" for={name}>
        {label}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <select
        class={`select${error ? ' input--error' : ''}`}
        id={name}
        name={name}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface RadioGroupProps extends FieldBase {
  value?: string | undefined;
  /**
   * `disabled`: shown but not choosable; its hint (tied to the input) should say why. `conditional`: fields that
   * belong to this choice, shown only while it is chosen (CSS, no JavaScript).
   */
  options: {
    value: string;
    label: string;
    hint?: string;
    disabled?: boolean;
    conditional?: ComponentChildren;
  }[];
}

export function RadioGroup({ name, label, hint, error, value, options }: RadioGroupProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(name, hint, error)}>
        <legend class="label">{label}</legend>
        <FieldMessages name={name} hint={hint} error={error} />
        {options.map((option, index) => {
          const id = index === 0 ? name : `${name}-${option.value}`;
          // Not `${id}-hint`: the first option's id is the group's name, whose hint is the fieldset's.
          const hintId = `${name}-${option.value}-option-hint`;
          return (
            <div class={`radio${option.disabled ? ' radio--disabled' : ''}`} key={option.value}>
              <input
                class="radio__input"
                type="radio"
                id={id}
                name={name}
                value={option.value}
                checked={!option.disabled && option.value === value}
                disabled={option.disabled}
                aria-describedby={option.hint ? hintId : undefined}
              />
              <span class="radio__text">
                <label class="radio__label" for={id}>
                  {option.label}
                </label>
                {option.hint && (
                  <span class="hint radio__hint" id={hintId}>
                    {option.hint}
                  </span>
                )}
              </span>
              {option.conditional && <div class="radio__conditional">{option.conditional}</div>}
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}

export interface CheckboxFieldProps extends FieldBase {
  checked?: boolean;
}

export function CheckboxField({ name, label, hint, error, checked }: CheckboxFieldProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <FieldMessages name={name} hint={hint} error={error} />
      <div class="checkbox">
        <input
          class="checkbox__input"
          type="checkbox"
          id={name}
          name={name}
          value="yes"
          checked={checked}
          aria-describedby={describedBy(name, hint, error)}
          aria-invalid={error ? true : undefined}
        />
        <label class="checkbox__label" for={name}>
          {label}
        </label>
      </div>
    </div>
  );
}

export interface TextAreaFieldProps extends FieldBase {
  value?: string | undefined;
  maxLength?: number;
  rows?: number;
}

export function TextAreaField({ name, label, hint, error, value, maxLength, rows = 5 }: TextAreaFieldProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="label" for={name}>
        {label}
      </label>
      <FieldMessages name={name} hint={hint} error={error} />
      <textarea
        class={`input textarea${error ? ' input--error' : ''}`}
        id={name}
        name={name}
        rows={rows}
        maxLength={maxLength ?? 5000}
        aria-describedby={describedBy(name, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {value ?? ''}
      </textarea>
    </div>
  );
}

export interface CheckboxGroupProps extends FieldBase {
  /** Each box is its own field (`name` of the option), ticked when `values[name]` is «yes». */
  options: { name: string; label: string }[];
  values: Partial<Record<string, string>>;
}

/** Several checkboxes under one question; the group's `name` is where its error is linked. */
export function CheckboxGroup({ name, label, hint, error, options, values }: CheckboxGroupProps) {
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" id={name} aria-describedby={describedBy(name, hint, error)}>
        <legend class="label">{label}</legend>
        <FieldMessages name={name} hint={hint} error={error} />
        {options.map((option) => (
          <div class="checkbox" key={option.name}>
            <input
              class="checkbox__input"
              type="checkbox"
              id={option.name}
              name={option.name}
              value="yes"
              checked={values[option.name] === 'yes'}
            />
            <label class="checkbox__label" for={option.name}>
              {option.label}
            </label>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
