import { ChoiceGroup, type FieldErrors, TextField } from './form.js';
import { field, type Form } from '../forms.js';

/** A worker typed by someone else (a counter officer, a Sertakan sponsor): the person part of Formulir 1A. */
export interface PersonValues {
  nik: string;
  fullName: string;
  birthDate: string;
  gender: string;
  phone: string;
  email: string;
  address: string;
}

export function readPerson(form: Form): PersonValues {
  return {
    nik: field(form, 'nik', 32).replace(/\s/g, ''),
    fullName: field(form, 'fullName', 200),
    birthDate: field(form, 'birthDate', 10),
    gender: field(form, 'gender', 1),
    phone: field(form, 'phone', 32),
    email: field(form, 'email', 320).trim(),
    address: field(form, 'address', 500),
  };
}

export type PersonLabels = Record<'nik' | 'nikHint' | 'fullName' | 'birthDate' | 'gender' | 'male' | 'female' | 'phone' | 'phoneHint' | 'email' | 'emailHint' | 'address', string>;

/** The person's fields, each with its label, hint and error (the worker's phone: the OTP goes there; email optional). */
export function PersonInputs(props: { t: PersonLabels; v: PersonValues; errors: FieldErrors }) {
  const { t, v, errors: e } = props;
  return (
    <>
      <TextField name="nik" label={t.nik} hint={t.nikHint} value={v.nik} error={e['nik']} inputmode="numeric" maxlength={16} autocomplete="off" required />
      <TextField name="fullName" label={t.fullName} value={v.fullName} error={e['fullName']} maxlength={100} autocomplete="off" required />
      <TextField name="birthDate" type="date" label={t.birthDate} value={v.birthDate} error={e['birthDate']} required />
      <ChoiceGroup name="gender" legend={t.gender} type="radio" inline error={e['gender']} choices={[{ value: 'M', label: t.male, checked: v.gender === 'M' }, { value: 'F', label: t.female, checked: v.gender === 'F' }]} />
      <TextField name="phone" type="tel" label={t.phone} hint={t.phoneHint} value={v.phone} error={e['phone']} inputmode="tel" maxlength={20} autocomplete="off" required />
      <TextField name="email" type="email" label={t.email} hint={t.emailHint} value={v.email} error={e['email']} maxlength={320} autocomplete="off" />
      <TextField name="address" label={t.address} value={v.address} error={e['address']} maxlength={500} autocomplete="off" required />
    </>
  );
}
