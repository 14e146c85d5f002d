import { ChoiceGroup, type FieldErrors, TextField } from './form.js';
import { type DateParts, datePartsOf, type DateProblem, field, type Form, isoOfParts, normalizeNikInput, readDateParts } from '../forms.js';
import type { Messages } from '../i18n/messages.js';

/** A worker typed by someone else (a counter officer, a Sertakan sponsor): the person part of Formulir 1A. */
export interface PersonValues {
  nik: string;
  fullName: string;
  /** yyyy-mm-dd when the three date fields make a date; '' otherwise (`birthParts` keeps what was typed). */
  birthDate: string;
  birthParts?: DateParts;
  gender: string;
  phone: string;
  email: string;
  address: string;
}

export function readPerson(form: Form): PersonValues {
  const birthParts = readDateParts(form, 'birthDate');
  return {
    nik: normalizeNikInput(field(form, 'nik', 40)),
    fullName: field(form, 'fullName', 200),
    birthDate: isoOfParts(birthParts),
    birthParts,
    gender: field(form, 'gender', 1),
    phone: field(form, 'phone', 32),
    email: field(form, 'email', 320).trim(),
    address: field(form, 'address', 500),
  };
}

/** The message for a birth date's problem: "wajib diisi" when empty, "tidak valid" with why otherwise. */
export function birthDateError(f: Messages['forms'], problem: DateProblem): string {
  const by: Record<DateProblem, string> = {
    empty: f.errDateEmpty,
    incomplete: f.errDateIncomplete,
    day: f.errDateDay,
    month: f.errDateMonth,
    year: f.errDateYear,
    nonexistent: f.errDateNonexistent,
    future: f.errDateFuture,
  };
  return by[problem];
}

/**
 * A birth date typed by a person (issue 18 item 6): tanggal and tahun as numeric fields, bulan as a select with the
 * month names — no phone date picker whose order differs by phone. The fieldset's id is `name` (the error summary
 * links there); its hint and error are tied to it and to each control by aria-describedby.
 */
export function BirthDateFields(props: { f: Messages['forms']; name?: string; legend: string; hint?: string; parts: DateParts; error?: string | undefined; required?: boolean }) {
  const { f, parts } = props;
  const name = props.name ?? 'birthDate';
  const hint = props.hint ?? f.birthDateHint;
  const described = [`${name}-hint`, props.error ? `${name}-error` : null].filter(Boolean).join(' ');
  const invalid = props.error ? 'true' : undefined;
  const months = [f.month1, f.month2, f.month3, f.month4, f.month5, f.month6, f.month7, f.month8, f.month9, f.month10, f.month11, f.month12];
  return (
    <fieldset id={name} class={`field date-fields${props.error ? ' field-error' : ''}`} aria-describedby={described}>
      <legend>{props.legend}</legend>
      <p class="hint" id={`${name}-hint`}>
        {hint}
      </p>
      {props.error ? (
        <p class="error" id={`${name}-error`}>
          {props.error}
        </p>
      ) : null}
      <div class="date-parts">
        <div class="date-day">
          <label for={`${name}Day`}>{f.dateDay}</label>
          <input id={`${name}Day`} name={`${name}Day`} type="text" inputmode="numeric" maxlength={10} size={3} value={parts.day} autocomplete="bday-day" required={props.required} aria-invalid={invalid} aria-describedby={described} />
        </div>
        <div class="date-month">
          <label for={`${name}Month`}>{f.dateMonth}</label>
          <select id={`${name}Month`} name={`${name}Month`} autocomplete="bday-month" required={props.required} aria-invalid={invalid} aria-describedby={described}>
            <option value="">{f.dateMonthPlaceholder}</option>
            {months.map((label, i) => (
              <option value={String(i + 1)} selected={Number(parts.month) === i + 1}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="date-year">
          <label for={`${name}Year`}>{f.dateYear}</label>
          <input id={`${name}Year`} name={`${name}Year`} type="text" inputmode="numeric" maxlength={4} size={5} value={parts.year} autocomplete="bday-year" required={props.required} aria-invalid={invalid} aria-describedby={described} />
        </div>
      </div>
    </fieldset>
  );
}

/**
 * The NIK as people type it: spaces and dots allowed (the server strips them), so maxlength leaves room for them
 * (issue 18 item 12); the numeric keypad on phones.
 */
export function NikField(props: { label: string; hint: string; value: string | undefined; error: string | undefined; required?: boolean }) {
  return <TextField name="nik" label={props.label} hint={props.hint} value={props.value} error={props.error} inputmode="numeric" maxlength={24} pattern="[0-9 .\-]*" autocomplete="off" required={props.required ?? false} />;
}

export type PersonLabels = Record<'nik' | 'nikHint' | 'fullName' | 'birthDate' | 'gender' | 'male' | 'female' | 'phone' | 'phoneHint' | 'email' | 'emailHint' | 'address', string>;

/** The person's fields, each with its label, hint and error (the worker's phone: the OTP goes there; email optional). */
export function PersonInputs(props: { t: PersonLabels; f: Messages['forms']; v: PersonValues; errors: FieldErrors }) {
  const { t, v, errors: e } = props;
  return (
    <>
      <NikField label={t.nik} hint={t.nikHint} value={v.nik} error={e['nik']} required />
      <TextField name="fullName" label={t.fullName} value={v.fullName} error={e['fullName']} maxlength={100} autocomplete="off" required />
      <BirthDateFields f={props.f} legend={t.birthDate} parts={v.birthParts ?? datePartsOf(v.birthDate)} error={e['birthDate']} required />
      <ChoiceGroup name="gender" legend={t.gender} type="radio" inline error={e['gender']} choices={[{ value: 'M', label: t.male, checked: v.gender === 'M' }, { value: 'F', label: t.female, checked: v.gender === 'F' }]} />
      <TextField name="phone" type="tel" label={t.phone} hint={t.phoneHint} value={v.phone} error={e['phone']} inputmode="tel" maxlength={20} autocomplete="off" required />
      <TextField name="email" type="email" label={t.email} hint={t.emailHint} value={v.email} error={e['email']} maxlength={320} autocomplete="off" />
      <TextField name="address" label={t.address} value={v.address} error={e['address']} maxlength={500} autocomplete="off" required />
    </>
  );
}
