import { describe, expect, it } from 'vitest';
import { LANGS } from '../../shared/i18n/catalogue.js';
import { humanDate, humanDateNumeric, humanDay, humanInstant, humanMonth, humanMonthShort, ISO_DATE_PATTERN } from '../../shared/i18n/dates.js';
import { renderTemplate, type Template } from './templates.js';

/**
 * Issue 18 item 11: emails and SMS read like logs ("Bayar sebelum: 2026-12-08T11:17:50+07:00 (WIB)", "sampai dengan:
 * 2026-12"). Every template, rendered from the data its callers really pass (ISO dates, months and instants), in
 * both languages: no ISO date or time is left in the subject or the body. Keyed by template name, so a new template
 * does not compile until it has its row here.
 */
const KPJ = '10000000018';
const due = { fullName: 'Budi', kpj: KPJ, month: '2026-12', firstMonth: '2026-10', monthCount: 3, dueDate: '2026-12-15', amount: 50_400, payBy: '2027-01-15' };
const status = { fullName: 'Budi', kpj: KPJ, effectiveDate: '2026-12-16', reason: 'r', coveredThrough: '2026-11', firstUnpaid: '2026-12', payBy: '2027-03-15', arrearsWindowMonths: 3 };
const debit = { fullName: 'Budi', kpj: KPJ, month: '2026-12', amount: 16_800, providerName: 'CIMB Niaga', accountMasked: '0812****7890', reason: 'insufficient_funds', attempts: 3, paymentCode: '8123456789012345', payBy: '2027-03-15' };
const claim = { fullName: 'Budi', kpj: KPJ, claimId: 'CLM-1', type: 'JHT' as const, total: 1_000_000, reason: 'Dokumen kurang' };
const payout = { kpj: KPJ, type: 'JKK' as const, amount: 1_000_000, bankCode: 'BRI', account: '****7890' };

type Samples = { [K in Template['template']]: (Template & { template: K })[] };

const SAMPLES: Samples = {
  registration_email_token: [{ template: 'registration_email_token', fullName: 'Budi', token: 'ABC123', link: 'https://lindung.id/daftar/r1' }],
  registration_otp: [{ template: 'registration_otp', otp: '123456' }],
  login_otp: [{ template: 'login_otp', otp: '123456' }],
  resume_code_email: [{ template: 'resume_code_email', fullName: 'Budi', otp: '123456' }],
  phone_change_otp: [{ template: 'phone_change_otp', otp: '123456' }],
  email_change_link: [{ template: 'email_change_link', fullName: 'Budi', link: 'https://lindung.id/akun/profil/email/x' }],
  payment_code: [{ template: 'payment_code', fullName: 'Budi', paymentCode: '8000000000000001', amount: 16_800, expiresAt: '2026-12-08T11:17:50+07:00' }],
  payment_code_sms: [{ template: 'payment_code_sms', paymentCode: '8000000000000001', amount: 9_999_999, expiresAt: '2026-09-30T23:59:00+07:00' }],
  card_link_sms: [{ template: 'card_link_sms', kpj: KPJ, link: 'https://lindung.id/kartu/x' }],
  agent_receipt_sms: [{ template: 'agent_receipt_sms', receiptNo: 'KW-AG000123-000045', amount: 16_800, months: 1, checkCode: 'ABCDEF', link: 'lindung.id/kuitansi' }],
  survey_sms: [{ template: 'survey_sms', link: 'https://lindung.id/survei/x' }],
  card_issued: [{ template: 'card_issued', fullName: 'Budi', kpj: KPJ, coveredThrough: '2026-12', verifyUrl: 'https://lindung.id/kartu/cek/x', participantId: 'p1' }],
  payment_receipt: [
    { template: 'payment_receipt', fullName: 'Budi', kpj: KPJ, amount: 16_800, months: '2026-12', paymentCode: '8000000000000001' },
    { template: 'payment_receipt', fullName: 'Budi', kpj: KPJ, amount: 50_400, months: '2026-10 s.d. 2026-12', paymentCode: '8000000000000001' },
  ],
  due_reminder_email: (['h3', 'due', 'overdue'] as const).map((kind) => ({ template: 'due_reminder_email' as const, ...due, kind })),
  due_reminder_sms: (['h3', 'due', 'overdue'] as const).map((kind) => ({ template: 'due_reminder_sms' as const, ...due, kind })),
  status_changed_email: (['active', 'arrears', 'inactive'] as const).flatMap((from) =>
    (['active', 'arrears', 'inactive'] as const).map((to) => ({ template: 'status_changed_email' as const, ...status, from, to })),
  ),
  status_changed_sms: (['active', 'arrears', 'inactive'] as const).flatMap((from) =>
    (['active', 'arrears', 'inactive'] as const).map((to) => ({ template: 'status_changed_sms' as const, ...status, from, to })),
  ),
  autodebit_failed_email: [
    { template: 'autodebit_failed_email', ...debit, attempt: 1, nextAttemptDate: '2026-12-18' },
    { template: 'autodebit_failed_email', ...debit, attempt: 3, nextAttemptDate: null },
  ],
  autodebit_failed_sms: [
    { template: 'autodebit_failed_sms', ...debit, attempt: 1, nextAttemptDate: '2026-12-18' },
    { template: 'autodebit_failed_sms', ...debit, attempt: 3, nextAttemptDate: null },
  ],
  autodebit_mandate_email: (['registered', 'revoked'] as const).map((action) => ({
    template: 'autodebit_mandate_email' as const,
    fullName: 'Budi',
    kpj: KPJ,
    action,
    providerName: 'CIMB Niaga',
    accountMasked: '0812****7890',
    date: '2026-12-08',
  })),
  wallet_credited: (['topup', 'overpayment', 'manual_assignment'] as const).map((kind) => ({
    template: 'wallet_credited' as const,
    fullName: 'Budi',
    kpj: KPJ,
    kind,
    amount: 16_800,
    balance: 33_600,
    paymentCode: '8000000000000001',
  })),
  wallet_contribution: [{ template: 'wallet_contribution', fullName: 'Budi', kpj: KPJ, amount: 50_400, firstMonth: '2026-10', lastMonth: '2026-12', balance: 0 }],
  claim_status_email: (['submitted', 'verified', 'approved', 'paid', 'rejected', 'returned'] as const).map((s) => ({ template: 'claim_status_email' as const, ...claim, status: s })),
  claim_status_sms: (['submitted', 'verified', 'approved', 'paid', 'rejected', 'returned'] as const).map((s) => ({ template: 'claim_status_sms' as const, ...claim, status: s })),
  claim_paid_sms: [{ template: 'claim_paid_sms', ...payout }],
  claim_payout_failed_sms: [{ template: 'claim_payout_failed_sms', ...payout }],
  claim_paid_email: [{ template: 'claim_paid_email', ...payout, fullName: 'Budi', claimId: 'CLM-1' }],
  agent_ended_sms: [{ template: 'agent_ended_sms', agentCode: 'AG000123', inactiveMonths: 3 }],
  sponsorship_consent_sms: [
    { template: 'sponsorship_consent_sms', sponsor: 'PT M***', link: 'https://lindung.id/sertakan/x', otp: '123456' },
    { template: 'sponsorship_consent_sms', sponsor: 'PT M***', link: 'https://lindung.id/sertakan/x', otp: null },
    { template: 'sponsorship_consent_sms', sponsor: 'PT M***', link: null, otp: '123456' },
  ],
  sponsorship_ended_sms: (['taken_over', 'sponsor_stopped'] as const).map((reason) => ({ template: 'sponsorship_ended_sms' as const, reason, name: 'Budi', month: '2027-01' })),
  roster_left_sms: [{ template: 'roster_left_sms', fullName: 'Budi', kpj: KPJ, payer: 'Pemerintah Kabupaten Bogor', month: '2027-01' }],
  roster_left_email: [{ template: 'roster_left_email', fullName: 'Budi', kpj: KPJ, payer: 'Pemerintah Kabupaten Bogor', month: '2027-01' }],
};

const ROWS = LANGS.flatMap((lang) => Object.values(SAMPLES).flatMap((samples: Template[]) => samples.map((t, i) => ({ name: `${t.template} #${i + 1}`, lang, t }))));

describe('every email and SMS has human dates (issue 18 item 11)', () => {
  it.each(ROWS)('$lang $name: no ISO date or time', ({ lang, t }) => {
    const { subject, body } = renderTemplate(t, lang);
    expect(`${subject}\n${body}`).not.toMatch(ISO_DATE_PATTERN);
    if (t.template.endsWith('_sms')) expect(body.length, body).toBeLessThanOrEqual(160);
  });

  it('the texts people saw now read as Indonesian dates', () => {
    const code = renderTemplate(SAMPLES.payment_code[0]!).body;
    expect(code).toContain('Bayar sebelum Selasa, 8 Desember 2026 pukul 11.17 WIB.');
    expect(renderTemplate(SAMPLES.payment_code_sms[0]!).body).toContain('Bayar sebelum 30 Sep 2026 pukul 23.59 WIB.');
    expect(renderTemplate(SAMPLES.card_issued[0]!).body).toContain('sampai akhir Desember 2026');
    expect(renderTemplate(SAMPLES.payment_receipt[1]!).body).toContain('Oktober 2026 s.d. Desember 2026');
  });

  it.each([
    ['2026-12', humanMonth, 'Desember 2026'],
    ['2026-12', humanMonthShort, 'Des 2026'],
    ['2026-12-15', humanDate, 'Selasa, 15 Desember 2026'],
    ['2026-12-15', humanDay, '15 Desember 2026'],
    ['2026-12-15', (d: string) => humanDateNumeric(d), '15/12/2026'],
    ['2026-12-08T11:17:50+07:00', humanInstant, 'Selasa, 8 Desember 2026 pukul 11.17 WIB'],
    ['2026-12-08T04:17:50Z', humanInstant, 'Selasa, 8 Desember 2026 pukul 11.17 WIB'],
    ['sudah ditulis', humanInstant, 'sudah ditulis'],
  ] as const)('%s → %s', (input, f, expected) => {
    expect(f(input, 'id')).toBe(expected);
  });
});
