import type { Child } from 'hono/jsx';

/** Form building blocks: every field has a visible label, its hint and error tied to it by aria-describedby. */

export type FieldErrors = Partial<Record<string, string>>;

export function CsrfInput(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** Lists every error at the top of the form, each linking to its field; focused first by screen readers. */
export function ErrorSummary(props: { title: string; errors: FieldErrors }) {
  const entries = Object.entries(props.errors).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (entries.length === 0) {
    return null;
  }
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{props.title}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field === '_form' ? 'isi' : field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A field's hint and error, with the ids its control's aria-describedby names. */
function HintAndError(props: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={`${props.name}-error`}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** Label, hint and error above one control; the control itself is the child. */
function FieldFrame(props: { name: string; label: string; hint?: string | undefined; error?: string | undefined; children: Child }) {
  return (
    <div class={`field${props.error ? ' field-error' : ''}`}>
      <label for={props.name}>{props.label}</label>
      <HintAndError name={props.name} hint={props.hint} error={props.error} />
      {props.children}
    </div>
  );
}

export function TextField(props: {
  name: string;
  label: string;
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'date' | 'search' | 'password';
  inputmode?: 'numeric' | 'tel' | 'email' | 'text';
  autocomplete?: string;
  maxlength?: number;
  pattern?: string;
  required?: boolean;
  class?: string;
  /** With JavaScript: typing here filters the options of the <select> with this id (progressive enhancement). */
  filterFor?: string;
}) {
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete}
        maxlength={props.maxlength}
        pattern={props.pattern}
        required={props.required}
        class={props.class}
        data-filter-for={props.filterFor}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: { name: string; label: string; value?: string | undefined; hint?: string; error?: string | undefined; maxlength?: number; autocomplete?: string; required?: boolean }) {
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        id={props.name}
        name={props.name}
        rows={3}
        maxlength={props.maxlength}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(props: {
  name: string;
  label: string;
  options?: Option[];
  groups?: { label: string; options: Option[] }[];
  value?: string | undefined;
  placeholder?: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}) {
  const opt = (o: Option) => (
    <option value={o.value} selected={o.value === props.value}>
      {o.label}
    </option>
  );
  return (
    <FieldFrame name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <select
        id={props.name}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options?.map(opt)}
        {props.groups?.map((g) => <optgroup label={g.label}>{g.options.map(opt)}</optgroup>)}
      </select>
    </FieldFrame>
  );
}

/** A radio or checkbox group in a fieldset whose legend is the question. */
export function ChoiceGroup(props: {
  name: string;
  legend: string;
  type: 'radio' | 'checkbox';
  choices: { value: string; label: Child; checked?: boolean; disabled?: boolean; hint?: string }[];
  hint?: string | undefined;
  error?: string | undefined;
  inline?: boolean;
}) {
  return (
    <fieldset
      id={props.name}
      class={`field choices${props.inline ? ' inline' : ''}${props.error ? ' field-error' : ''}`}
      aria-describedby={describedBy(props.name, props.hint, props.error)}
    >
      <legend>{props.legend}</legend>
      <HintAndError name={props.name} hint={props.hint} error={props.error} />
      {props.choices.map((ch, i) => (
        <div class="choice">
          <input type={props.type} id={`${props.name}-${i}`} name={props.name} value={ch.value} checked={ch.checked} disabled={ch.disabled} />
          <label for={`${props.name}-${i}`}>
            {ch.label}
            {ch.hint ? <span class="choice-hint">{ch.hint}</span> : null}
          </label>
        </div>
      ))}
    </fieldset>
  );
}
