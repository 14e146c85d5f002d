import { HEIR_RELATIONSHIPS, type HeirRelationship, type HeirView } from '../../../modules/heirs/index.js';
import { CsrfInput, SelectField, TextField, type FieldErrors } from '../../components/form.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatDate } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { BirthDateFields, NikField } from '../../components/person-fields.js';
import { datePartsOf } from '../../forms.js';

/** The heirs page's parts (heirs.tsx puts them together): the list, one heir's card, the add/edit form. */

/** What the form shows: the member's last try (after an error) or the heir being edited. */
export interface HeirFormValues {
  fullName: string;
  relationship: string;
  birthDate: string;
  phone: string;
  nik: string;
}

export const EMPTY_HEIR_FORM: HeirFormValues = { fullName: '', relationship: '', birthDate: '', phone: '', nik: '' };

const REL_KEY = { spouse: 'relSpouse', child: 'relChild', parent: 'relParent', sibling: 'relSibling', other: 'relOther' } as const;

export function relationshipWord(m: Messages, r: HeirRelationship): string {
  return m.heirs[REL_KEY[r]];
}

/** +6281234567891 → 081234567891 (how members write their numbers). */
export function localPhone(phone: string | null): string {
  return phone === null ? '' : phone.startsWith('+62') ? `0${phone.slice(3)}` : phone;
}

/** The stored heir as the edit form's values (the NIK is never sent back: the form says which one is kept). */
export function formValuesOf(h: HeirView): HeirFormValues {
  return { fullName: h.fullName, relationship: h.relationship, birthDate: h.birthDate, phone: localPhone(h.phone), nik: '' };
}

function HeirCard({ m, lang, csrf, heir }: { m: Messages; lang: Lang; csrf: string; heir: HeirView }) {
  const t = m.heirs;
  const contact = [localPhone(heir.phone), heir.nikMasked ?? ''].filter((s) => s !== '').join(' · ');
  return (
    <li class="card">
      <h3>{heir.fullName}</h3>
      <dl class="facts">
        <dt>{t.colPriority}</dt>
        <dd>{heir.priority}</dd>
        <dt>{t.colRelationship}</dt>
        <dd>{relationshipWord(m, heir.relationship)}</dd>
        <dt>{t.colBirthDate}</dt>
        <dd>{formatDate(heir.birthDate, lang)}</dd>
        {contact ? (
          <>
            <dt>{t.colContact}</dt>
            <dd>{contact}</dd>
          </>
        ) : null}
      </dl>
      <div class="actions">
        <a class="btn btn-secondary" href={`/akun/ahli-waris?ubah=${encodeURIComponent(heir.id)}#form-ahli-waris`} aria-label={fill(t.editLabel, { name: heir.fullName })}>
          {t.edit}
        </a>
        {heir.priority > 1 ? (
          <form method="post" action="/akun/ahli-waris/naik">
            <CsrfInput token={csrf} />
            <input type="hidden" name="id" value={heir.id} />
            <button type="submit" class="btn-secondary" aria-label={fill(t.moveUpLabel, { name: heir.fullName, n: heir.priority - 1 })}>
              {t.moveUp}
            </button>
          </form>
        ) : null}
        <form method="post" action="/akun/ahli-waris/hapus">
          <CsrfInput token={csrf} />
          <input type="hidden" name="id" value={heir.id} />
          <button type="submit" class="btn-secondary" aria-label={fill(t.removeLabel, { name: heir.fullName })}>
            {t.remove}
          </button>
        </form>
      </div>
    </li>
  );
}

export function HeirList({ m, lang, csrf, heirs }: { m: Messages; lang: Lang; csrf: string; heirs: HeirView[] }) {
  if (heirs.length === 0) {
    return <p>{m.heirs.empty}</p>;
  }
  return (
    <ol class="heirs" aria-label={m.heirs.listCaption}>
      {heirs.map((h) => (
        <HeirCard m={m} lang={lang} csrf={csrf} heir={h} />
      ))}
    </ol>
  );
}

/** Add (no `editing`) or edit one heir: POST /akun/ahli-waris, the stored list is replaced with this heir in it. */
export function HeirForm(props: { m: Messages; csrf: string; values: HeirFormValues; errors: FieldErrors; editing: HeirView | null }) {
  const { m, values, errors, editing } = props;
  const t = m.heirs;
  const nikHint = editing?.nikMasked ? fill(t.nikKeepHint, { nik: editing.nikMasked }) : t.nikHint;
  return (
    <section aria-labelledby="form-ahli-waris-judul" id="form-ahli-waris">
      <h2 id="form-ahli-waris-judul">{editing ? fill(t.editTitle, { name: editing.fullName }) : t.addTitle}</h2>
      <form method="post" action="/akun/ahli-waris" class="card" data-once>
        <CsrfInput token={props.csrf} />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <TextField name="fullName" label={t.fullName} hint={t.fullNameHint} value={values.fullName} error={errors['fullName']} autocomplete="off" maxlength={100} required />
        <SelectField
          name="relationship"
          label={t.relationship}
          placeholder={t.choose}
          value={values.relationship}
          error={errors['relationship']}
          options={HEIR_RELATIONSHIPS.map((r) => ({ value: r, label: relationshipWord(m, r) }))}
          required
        />
        <BirthDateFields f={m.forms} legend={t.birthDate} parts={datePartsOf(values.birthDate)} error={errors['birthDate']} required />
        <TextField name="phone" type="tel" inputmode="tel" label={t.phone} hint={t.phoneHint} value={values.phone} error={errors['phone']} autocomplete="off" maxlength={20} />
        <NikField label={t.nik} hint={nikHint} value={values.nik} error={errors['nik']} />
        <div class="actions">
          <button type="submit">{t.save}</button>
          {editing ? <a href="/akun/ahli-waris">{t.cancel}</a> : null}
        </div>
      </form>
    </section>
  );
}
