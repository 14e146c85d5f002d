import type { MemberProfile } from '../../modules/membership/index.js';
import type { BranchDirectory, Occupation } from '../../modules/reference/index.js';
import { ChoiceGroup, CsrfInput, SelectField, TextArea, TextField, type FieldErrors } from './form.js';
import { TitledSection } from './section.js';
import { BirthDateFields } from './person-fields.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, formatNumber } from '../i18n/format.js';
import { formatRupiah } from '../../shared/money.js';
import type { Messages } from '../i18n/messages.js';

/**
 * The forms of a member data change, shared by the member's /akun/profil and the counter's "Ubah data peserta": the
 * current data, address/occupation/branch, income and programs, the phone (start + confirm) and the e-mail. `base` is
 * the page's path; each form posts to base + its own suffix. `staff` adds the KTP check box and drops the identity
 * questions (the officer checked the KTP in person).
 */
export interface MemberDataProps {
  m: Messages;
  lang: Lang;
  csrf: string;
  base: string;
  profile: MemberProfile;
  /** Every occupation (reference facade's listOccupations): the active ones to choose, any one's name (a member keeps a deactivated one). */
  occupations: readonly (Occupation & { active: boolean })[];
  /** The branches (reference facade's branchDirectory): the active ones to choose, any one's name (a member keeps a deactivated one). */
  branches: Pick<BranchDirectory, 'active' | 'name'>;
  values: Record<string, string>;
  errors: FieldErrors;
  staff: boolean;
}

const rupiah = formatRupiah;
const localPhone = (phone: string) => (phone.startsWith('+62') ? `0${phone.slice(3)}` : phone);
const v = (props: MemberDataProps, name: string, fallback: string) => props.values[name] ?? fallback;

export function CurrentData({ m, lang, profile, occupations, branches }: Pick<MemberDataProps, 'm' | 'lang' | 'profile' | 'occupations' | 'branches'>) {
  const t = m.profile;
  const income = profile.declaredIncomeFrom ? fill(t.incomeSince, { amount: rupiah(profile.declaredIncome), month: formatMonth(profile.declaredIncomeFrom, lang) }) : rupiah(profile.declaredIncome);
  const rows: [string, string][] = [
    [t.phone, localPhone(profile.phone)],
    [t.email, profile.email],
    [t.address, profile.address],
    [t.occupation, occupations.find((o) => o.code === profile.occupationCode)?.[lang === 'en' ? 'nameEn' : 'name'] ?? profile.occupationCode],
    [t.branch, branches.name(profile.branchCode)],
    [t.income, income],
    [t.programs, profile.programs.join(', ')],
  ];
  return (
    <TitledSection id="data-sekarang" title={t.currentTitle}>
      <div class="card">
        <dl class="facts">
          {rows.map(([k, val]) => (
            <>
              <dt>{k}</dt>
              <dd>{val}</dd>
            </>
          ))}
        </dl>
      </div>
    </TitledSection>
  );
}

/** The counter's KTP box, once per form: ids unique on the page (ktpFieldId), the posted name always identityChecked. */
export const ktpFieldId = (form: string) => `identityChecked-${form.replace('/', '-')}`;

function Checked(props: MemberDataProps & { form: string }) {
  if (!props.staff) {
    return null;
  }
  const id = ktpFieldId(props.form);
  const error = props.errors[id];
  return (
    <fieldset id={id} class={`field choices${error ? ' field-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{props.m.profile.identityLegend}</legend>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div class="choice">
        <input type="checkbox" id={`${id}-box`} name="identityChecked" value="1" />
        <label for={`${id}-box`}>{props.m.profile.identityChecked}</label>
      </div>
    </fieldset>
  );
}

/** The active occupations to choose from, and the member's own first when it has since been deactivated (kept unless changed). */
function occupationChoices({ occupations, profile, lang }: Pick<MemberDataProps, 'occupations' | 'profile' | 'lang'>) {
  return occupations.filter((o) => o.active || o.code === profile.occupationCode).map((o) => ({ value: o.code, label: lang === 'en' ? o.nameEn : o.name }));
}

/** The active branches to choose from, and the member's own first when it has since been deactivated (kept unless changed). */
function branchOptions({ branches, profile }: Pick<MemberDataProps, 'branches' | 'profile'>) {
  const active = branches.active.map((b) => ({ value: b.code, label: b.name }));
  return active.some((o) => o.value === profile.branchCode) ? active : [{ value: profile.branchCode, label: branches.name(profile.branchCode) }, ...active];
}

export function DataForm(props: MemberDataProps) {
  const { m, lang, profile, errors } = props;
  const t = m.profile;
  return (
    <TitledSection id="ubah-data" title={t.dataTitle}>
      <form method="post" action={props.base} class="card" data-once>
        <CsrfInput token={props.csrf} />
        <TextArea name="address" label={t.address} hint={t.addressHint} value={v(props, 'address', profile.address)} error={errors['address']} maxlength={300} autocomplete="street-address" required />
        <SelectField name="occupationCode" label={t.occupation} hint={t.occupationHint} value={v(props, 'occupationCode', profile.occupationCode)} error={errors['occupationCode']} options={occupationChoices(props)} required />
        <SelectField name="branchCode" label={t.branch} value={v(props, 'branchCode', profile.branchCode)} error={errors['branchCode']} options={branchOptions(props)} required />
        <Checked {...props} form="data" />
        <button type="submit">{t.save}</button>
      </form>
    </TitledSection>
  );
}

export function PricingForm(props: MemberDataProps) {
  const { m, lang, profile, errors } = props;
  const t = m.profile;
  const hasJht = profile.programs.includes('JHT');
  return (
    <TitledSection id="ubah-iuran" title={t.pricingTitle}>
      <p>{fill(t.pricingIntro, { month: formatMonth(profile.nextUnpaidMonth, lang) })}</p>
      <form method="post" action={`${props.base}/iuran`} class="card" data-once>
        <CsrfInput token={props.csrf} />
        <TextField name="declaredIncome" inputmode="numeric" label={t.income} hint={t.incomeHint} value={v(props, 'declaredIncome', formatNumber(profile.declaredIncome))} error={errors['declaredIncome']} maxlength={20} required />
        {hasJht ? <p>{t.jhtHas}</p> : <ChoiceGroup name="addJht" legend={t.programs} type="checkbox" error={errors['addPrograms']} choices={[{ value: '1', label: t.addJht }]} />}
        <Checked {...props} form="iuran" />
        <button type="submit">{t.save}</button>
      </form>
    </TitledSection>
  );
}

export function PhoneForms(props: MemberDataProps) {
  const { m, errors, profile } = props;
  const t = m.profile;
  const pending = profile.pendingPhone;
  return (
    <TitledSection id="ubah-hp" title={t.phoneTitle}>
      <p>{!props.staff ? t.phoneIntro : pending ? fill(t.staffCodeIntro, { phone: localPhone(pending) }) : t.staffPhoneIntro}</p>
      <form method="post" action={`${props.base}/hp`} class="card" data-once>
        <CsrfInput token={props.csrf} />
        <TextField name="phone" type="tel" inputmode="tel" label={t.newPhone} hint={t.phoneHint} value={v(props, 'phone', '')} error={errors['phone']} autocomplete="tel" maxlength={20} required />
        <Checked {...props} form="hp" />
        <button type="submit" class={pending ? 'btn-secondary' : undefined}>{t.sendCode}</button>
      </form>
      {pending ? (
        <form method="post" action={`${props.base}/hp/konfirmasi`} class="card" data-once>
          <CsrfInput token={props.csrf} />
          <TextField name="code" inputmode="numeric" label={t.code} value="" error={errors['code']} autocomplete="one-time-code" maxlength={6} required />
          {props.staff ? null : (
            <>
              <BirthDateFields f={m.forms} legend={t.birthDate} parts={{ day: v(props, 'birthDateDay', ''), month: v(props, 'birthDateMonth', ''), year: v(props, 'birthDateYear', '') }} error={errors['birthDate']} required />
              <TextField name="nikLast6" inputmode="numeric" label={t.nikLast6} value="" error={errors['nikLast6']} autocomplete="off" maxlength={6} required />
            </>
          )}
          <Checked {...props} form="hp/konfirmasi" />
          <button type="submit">{t.confirmPhone}</button>
        </form>
      ) : null}
    </TitledSection>
  );
}

export function EmailForm(props: MemberDataProps) {
  const t = props.m.profile;
  return (
    <TitledSection id="ubah-email" title={t.emailTitle}>
      <p>{t.emailIntro}</p>
      <form method="post" action={`${props.base}/email`} class="card" data-once>
        <CsrfInput token={props.csrf} />
        <TextField name="email" type="email" inputmode="email" label={t.newEmail} value={v(props, 'email', '')} error={props.errors['email']} autocomplete="email" maxlength={254} required />
        <Checked {...props} form="email" />
        <button type="submit">{t.sendLink}</button>
      </form>
    </TitledSection>
  );
}

/** Every section, in the page's order. */
export function MemberDataSections(props: MemberDataProps) {
  return (
    <>
      <CurrentData m={props.m} lang={props.lang} profile={props.profile} occupations={props.occupations} branches={props.branches} />
      <DataForm {...props} />
      <PricingForm {...props} />
      <PhoneForms {...props} />
      <EmailForm {...props} />
    </>
  );
}
