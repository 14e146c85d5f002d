import { describe, expect, it } from 'vitest';
import { LANGS } from '../../shared/i18n/catalogue.js';
import { renderStoredMessage } from './stored-message.js';
import { renderTemplate, type AutodebitFailed, type DueReminder, type StatusChanged, type Template } from './templates.js';
import type { CardSigner } from '../cards/index.js';

/** Every SMS, in Indonesian and in English, at the longest values it can carry: one part (≤ 160 characters). */

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
const KPJ = '10000000018';

function dueReminders(): DueReminder[] {
  const out: DueReminder[] = [];
  for (const kind of ['h3', 'due', 'overdue'] as const) {
    for (const month of MONTHS) {
      for (const firstMonth of [month, ...MONTHS.filter((m) => m < month)]) {
        out.push({ fullName: 'Budi', kpj: KPJ, kind, month, firstMonth, monthCount: firstMonth === month ? 1 : 4, dueDate: `${month}-15`, amount: 2_511_200, payBy: '2027-09-15' });
      }
    }
  }
  return out;
}

function statusChanges(): StatusChanged[] {
  const statuses = ['active', 'arrears', 'inactive'] as const;
  return statuses.flatMap((from) =>
    statuses.flatMap((to) =>
      MONTHS.map((m) => ({ fullName: 'Budi', kpj: KPJ, from, to, effectiveDate: `${m}-16`, reason: 'r', coveredThrough: m, firstUnpaid: m, payBy: '2027-09-15', arrearsWindowMonths: 12 })),
    ),
  );
}

function autodebitFailures(): AutodebitFailed[] {
  const base = { fullName: 'Budi', kpj: KPJ, amount: 2_511_200, providerName: 'CIMB Niaga', accountMasked: '0812****7890', attempts: 3, paymentCode: '8123456789012345' };
  return ['insufficient_funds', 'account_inactive', 'limit_exceeded', 'rejected'].flatMap((reason) =>
    MONTHS.flatMap((month) => [
      { ...base, reason, month, attempt: 1, nextAttemptDate: `${month}-18`, payBy: '2027-09-15' },
      { ...base, reason, month, attempt: 3, nextAttemptDate: null, payBy: '2027-09-15' },
    ]),
  );
}

const SMS: Template[] = [
  { template: 'registration_otp', otp: '123456' },
  { template: 'login_otp', otp: '123456' },
  { template: 'payment_code_sms', paymentCode: '8569983359406025', amount: 9_999_999, expiresAt: '30 September 2026 pukul 23.59 WIB' },
  { template: 'payment_code_sms', paymentCode: '8569983359406025', amount: 9_999_999, expiresAt: '30 September 2026 pukul 23.59 WIB', replacesCode: '8569983359406026' },
  { template: 'agent_receipt_sms', receiptNo: 'KW-AG999999-999999', amount: 9_999_999, months: 12, checkCode: 'ABCDEF', link: 'lindung.id/kuitansi' },
  ...dueReminders().map((r) => ({ template: 'due_reminder_sms' as const, ...r })),
  ...statusChanges().map((c) => ({ template: 'status_changed_sms' as const, ...c })),
  ...autodebitFailures().map((f) => ({ template: 'autodebit_failed_sms' as const, ...f })),
];

describe('SMS texts', () => {
  it.each(LANGS)('every %s SMS fits one part (≤ 160 characters) at the longest values', (lang) => {
    for (const t of SMS) {
      const sms = renderTemplate(t, lang);
      expect(sms.subject).toBe('');
      expect(sms.body.length, sms.body).toBeLessThanOrEqual(160);
      expect(sms.body, sms.body).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('rendering by language', () => {
  const reminder: DueReminder = dueReminders()[0]!;

  it('Indonesian unless a language is given; English from the same data', () => {
    const t: Template = { template: 'due_reminder_email', ...reminder };
    expect(renderTemplate(t)).toEqual(renderTemplate(t, 'id'));
    const en = renderTemplate(t, 'en');
    expect(en.subject).toBe('Reminder: the January 2026 contribution is due 15 January 2026');
    expect(en.body).toMatch(/^Hello Budi,\n\n/);
    expect(en.body).toContain(`KPJ number: ${KPJ}`);
    expect(en.data).toEqual(renderTemplate(t).data);
  });

  it('a template-only outbox row renders in the language its data names, else in Indonesian', () => {
    const ctx = { publicBaseUrl: 'http://lindung.test', cardSigner: {} as CardSigner };
    const row = (data: Record<string, unknown>) => ({ subject: '', body: '', template: 'due_reminder_sms', data });
    const asData = { ...reminder } as unknown as Record<string, unknown>;
    expect(renderStoredMessage(row({ ...asData, lang: 'en' }), ctx).body).toBe(renderTemplate({ template: 'due_reminder_sms', ...reminder }, 'en').body);
    expect(renderStoredMessage(row({ ...asData, lang: 'xx' }), ctx).body).toBe(renderTemplate({ template: 'due_reminder_sms', ...reminder }, 'id').body);
    expect(renderStoredMessage(row(asData), ctx).body).toBe(renderTemplate({ template: 'due_reminder_sms', ...reminder }, 'id').body);
  });

  it('no email leaves a placeholder unfilled, in either language', () => {
    const emails: Template[] = [
      { template: 'registration_email_token', fullName: 'Budi', token: 'abc', link: 'http://x' },
      { template: 'payment_code', fullName: 'Budi', paymentCode: '8000', amount: 16_800, expiresAt: '1 Desember 2026 10.00 WIB' },
      { template: 'card_issued', fullName: 'Budi', kpj: KPJ, coveredThrough: '2026-12', verifyUrl: 'http://v', participantId: 'p' },
      { template: 'payment_receipt', fullName: 'Budi', kpj: KPJ, amount: 16_800, months: 'Desember 2026', paymentCode: '8000' },
      ...dueReminders().slice(0, 40).map((r) => ({ template: 'due_reminder_email' as const, ...r, payBy: null, amount: null })),
      ...statusChanges().map((c) => ({ template: 'status_changed_email' as const, ...c, firstUnpaid: null, payBy: null })),
      ...autodebitFailures().map((f) => ({ template: 'autodebit_failed_email' as const, ...f, reason: 'unknown' })),
      ...(['registered', 'revoked'] as const).map((action) => ({ template: 'autodebit_mandate_email' as const, fullName: 'B', kpj: KPJ, action, providerName: 'BCA', accountMasked: '**12', date: '2026-12-01' })),
      ...(['topup', 'overpayment', 'manual_assignment'] as const).map((kind) => ({ template: 'wallet_credited' as const, fullName: 'B', kpj: KPJ, kind, amount: 1, balance: 2, paymentCode: null })),
      { template: 'wallet_contribution', fullName: 'B', kpj: KPJ, amount: 1, firstMonth: '2026-11', lastMonth: '2026-12', balance: 0 },
    ];
    for (const lang of LANGS) {
      for (const t of emails) {
        const m = renderTemplate(t, lang);
        expect(`${m.subject}\n${m.body}`, `${t.template} (${lang})`).not.toMatch(/\{\w+\}/);
        expect(m.body.trim(), `${t.template} (${lang})`).not.toBe('');
      }
    }
  });
});
