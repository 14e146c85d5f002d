import type { BankAccount } from '../../../modules/claims/index.js';
import { ChoiceGroup, TextField, type FieldErrors } from '../../components/form.js';
import type { Messages } from '../../i18n/messages.js';
import { str } from './posted.js';

/** The bank account the benefit is sent to, and the member's statement: the fields and their checks (as the API's). */

export function BankFields({ m, values, errors }: { m: Messages; values: Record<string, string>; errors: FieldErrors }) {
  const t = m.claims;
  return (
    <fieldset id="rekening">
      <legend>{t.bankTitle}</legend>
      <TextField name="bankCode" label={t.bankCode} hint={t.bankCodeHint} value={values['bankCode']} error={errors['bankCode']} maxlength={20} autocomplete="off" required />
      <TextField name="accountNumber" inputmode="numeric" label={t.accountNumber} hint={t.accountNumberHint} value={values['accountNumber']} error={errors['accountNumber']} maxlength={20} autocomplete="off" required />
      <TextField name="accountName" label={t.accountName} hint={t.accountNameHint} value={values['accountName']} error={errors['accountName']} maxlength={100} autocomplete="name" required />
      <ChoiceGroup name="confirm" legend={t.statement} type="checkbox" error={errors['confirm']} choices={[{ value: 'yes', label: t.confirm, checked: values['confirm'] === 'yes' }]} />
    </fieldset>
  );
}

/** The posted bank fields, cleaned (spaces out of the number, bank in capitals), with an error per wrong field. */
export function bankOf(m: Messages, form: Record<string, unknown>): { bank: BankAccount; values: Record<string, string>; errors: FieldErrors } {
  const t = m.claims;
  const bank = {
    bankCode: str(form['bankCode']).trim().toUpperCase().slice(0, 40),
    accountNumber: str(form['accountNumber']).replace(/[\s.-]/g, '').slice(0, 40),
    accountName: str(form['accountName']).trim().slice(0, 200),
  };
  const confirm = str(form['confirm']) === 'yes' ? 'yes' : '';
  const errors: FieldErrors = {};
  if (bank.bankCode.length < 2 || bank.bankCode.length > 20) {
    errors['bankCode'] = t.bankCodeError;
  }
  if (!/^\d{6,20}$/.test(bank.accountNumber)) {
    errors['accountNumber'] = t.accountNumberError;
  }
  if (bank.accountName === '' || bank.accountName.length > 100) {
    errors['accountName'] = t.accountNameError;
  }
  if (confirm !== 'yes') {
    errors['confirm'] = t.confirmError;
  }
  return { bank, values: { ...bank, confirm }, errors };
}
