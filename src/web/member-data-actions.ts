import type { Deps } from '../deps.js';
import { errorMessage } from '../http/messages.js';
import { changeMemberData, confirmPhoneChange, phoneChangeTriesLeft, startEmailChange, startPhoneChange, type ChangeActor } from '../modules/membership/index.js';
import { withTriesLeft } from './components/otp-tries.js';
import type { FieldErrors } from './components/form.js';
import { ktpFieldId } from './components/member-data-forms.js';
import { birthDateError } from './components/person-fields.js';
import { checkBirthDate, type Form, readDateParts } from './forms.js';
import { fill, type Lang } from './i18n/catalogue.js';
import { formatMonth, parseRupiahInput } from './i18n/format.js';
import { messagesFor } from './i18n/messages.js';
import { str } from './pages/member/posted.js';
import { localDateInJakarta } from '../shared/month.js';

/**
 * What a posted member data form does, the same for the member's /akun/profil and the counter's page (only the actor
 * and the identity proof differ): `done` the message to show after the redirect, or the field errors and the values
 * to show again.
 */
export type MemberDataForm = 'data' | 'iuran' | 'hp' | 'hp/konfirmasi' | 'email';
export const MEMBER_DATA_FORMS: readonly MemberDataForm[] = ['data', 'iuran', 'hp', 'hp/konfirmasi', 'email'];

export type FormOutcome = { ok: true; done: string } | { ok: false; errors: FieldErrors; values: Record<string, string> };

type Posted = Record<string, unknown>;

const refusal = (code: string, field: string | undefined, lang: Lang, values: Record<string, string>): FormOutcome => ({
  ok: false,
  errors: { [field ?? '_form']: errorMessage(code as Parameters<typeof errorMessage>[0], lang) },
  values,
});

export async function applyMemberDataForm(deps: Deps, participantId: string, form: MemberDataForm, posted: Posted, actor: ChangeActor, lang: Lang): Promise<FormOutcome> {
  const t = messagesFor(lang).profile;
  const values = Object.fromEntries(['address', 'occupationCode', 'branchCode', 'declaredIncome', 'phone', 'email', 'birthDateDay', 'birthDateMonth', 'birthDateYear'].map((k) => [k, str(posted[k]).slice(0, 400)]).filter(([, val]) => val !== ''));
  if (actor.kind === 'staff' && str(posted['identityChecked']) !== '1') {
    return refusal('identity_check_required', ktpFieldId(form), lang, values);
  }
  switch (form) {
    case 'data': {
      const r = await changeMemberData(deps, participantId, { address: str(posted['address']), occupationCode: str(posted['occupationCode']), branchCode: str(posted['branchCode']) }, actor);
      return r.ok ? { ok: true, done: r.value.changed.length > 0 ? t.saved : t.noChange } : refusal(r.code, r.field, lang, values);
    }
    case 'iuran': {
      const income = parseRupiahInput(str(posted['declaredIncome']));
      if (income === null) {
        return refusal('income_below_minimum', 'declaredIncome', lang, values);
      }
      const r = await changeMemberData(deps, participantId, { declaredIncome: income, addPrograms: str(posted['addJht']) === '1' ? ['JHT'] : [] }, actor);
      if (!r.ok) return refusal(r.code, r.field, lang, values);
      return { ok: true, done: r.value.effectiveFrom ? fill(t.pricingSaved, { month: formatMonth(r.value.effectiveFrom, lang) }) : t.noChange };
    }
    case 'hp': {
      const r = await startPhoneChange(deps, participantId, str(posted['phone']), actor);
      return r.ok ? { ok: true, done: fill(t.codeSent, { phone: str(posted['phone']) }) } : refusal(r.code, r.field ?? 'phone', lang, values);
    }
    case 'hp/konfirmasi': {
      let proof: Parameters<typeof confirmPhoneChange>[3] = { identityChecked: true };
      if (actor.kind !== 'staff') {
        // The birth date as three fields or dd-mm-yyyy (issue 18 item 6), like registration step 1.
        const birth = checkBirthDate(readDateParts(posted as Form, 'birthDate'), localDateInJakarta(deps.clock.now()));
        if (!birth.ok) return { ok: false, errors: { birthDate: birthDateError(messagesFor(lang).forms, birth.problem) }, values };
        proof = { birthDate: birth.value, nikLast6: str(posted['nikLast6']) };
      }
      const r = await confirmPhoneChange(deps, participantId, str(posted['code']), proof, actor);
      if (r.ok) return { ok: true, done: t.phoneSaved };
      if (r.code !== 'invalid_otp') return refusal(r.code, r.field ?? 'code', lang, values);
      return { ok: false, errors: { code: withTriesLeft(errorMessage('invalid_otp', lang), lang, await phoneChangeTriesLeft(deps, participantId)) }, values };
    }
    case 'email': {
      const r = await startEmailChange(deps, participantId, str(posted['email']), actor);
      return r.ok ? { ok: true, done: fill(t.linkSent, { email: str(posted['email']) }) } : refusal(r.code, r.field, lang, values);
    }
  }
}
