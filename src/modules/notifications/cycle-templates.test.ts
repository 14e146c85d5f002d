import { describe, expect, it } from 'vitest';
import type { CardSigner } from '../cards/card-token.js';
import { renderStoredMessage } from './stored-message.js';
import { renderTemplate, type DueReminder, type StatusChanged } from './templates.js';

/** The monthly cycle's messages: Indonesian texts, SMS in one part, rendered from template-only outbox rows. */

const reminder: DueReminder = {
  fullName: 'Budi Santoso',
  kpj: '10000000018',
  kind: 'h3',
  month: '2026-12',
  firstMonth: '2026-12',
  monthCount: 1,
  dueDate: '2026-12-15',
  amount: 8_400,
  payBy: '2027-03-15',
};

const change: StatusChanged = {
  fullName: 'Budi Santoso',
  kpj: '10000000018',
  from: 'active',
  to: 'arrears',
  effectiveDate: '2026-12-16',
  reason: 'unpaid:2026-12',
  coveredThrough: '2026-11',
  firstUnpaid: '2026-12',
  payBy: '2027-03-15',
  arrearsWindowMonths: 3,
};

describe('due reminder templates', () => {
  it('H-3 email names the month, the due date and the amount', () => {
    const m = renderTemplate({ template: 'due_reminder_email', ...reminder });
    expect(m.subject).toBe('Pengingat: iuran Desember 2026 jatuh tempo 15 Desember 2026');
    expect(m.body).toContain('jatuh tempo pada 15 Desember 2026 (3 hari lagi)');
    expect(m.body).toContain('Jumlah yang perlu dibayar: Rp8.400 (iuran Desember 2026).');
    expect(m.body).toContain('Nomor KPJ: 10000000018');
  });

  it('due-date and overdue emails', () => {
    expect(renderTemplate({ template: 'due_reminder_email', ...reminder, kind: 'due' }).body).toContain('Hari ini, 15 Desember 2026, adalah batas akhir');
    const overdue = renderTemplate({ template: 'due_reminder_email', ...reminder, kind: 'overdue' });
    expect(overdue.subject).toBe('Iuran Desember 2026 belum dibayar — status menunggak');
    expect(overdue.body).toContain('Bayar paling lambat 15 Maret 2027 agar kepesertaan tidak menjadi nonaktif.');
  });

  it('a member in arrears is told every month owed and the last day before inactive', () => {
    const m = renderTemplate({ template: 'due_reminder_email', ...reminder, firstMonth: '2026-10', monthCount: 3, amount: 25_200, payBy: '2027-01-15' });
    expect(m.body).toContain('Rp25.200 (iuran Oktober 2026 s.d. Desember 2026)');
    expect(m.body).toContain('Bayar paling lambat 15 Januari 2027');
  });

  it('without an amount, only the months are named', () => {
    expect(renderTemplate({ template: 'due_reminder_email', ...reminder, amount: null }).body).toContain('Iuran yang perlu dibayar: Desember 2026.');
    expect(renderTemplate({ template: 'due_reminder_sms', ...reminder, amount: null }).body).not.toContain('Rp');
  });

  it.each(['h3', 'due', 'overdue'] as const)('the %s SMS fits one part (≤ 160 characters) even at the largest amounts', (kind) => {
    const sms = renderTemplate({ template: 'due_reminder_sms', ...reminder, kind, firstMonth: '2026-09', monthCount: 4, amount: 2_511_200 });
    expect(sms.subject).toBe('');
    expect(sms.body.length, sms.body).toBeLessThanOrEqual(160);
    expect(sms.body).toContain('Rp2.511.200');
  });
});

describe('status change templates', () => {
  const variants: StatusChanged[] = [
    change,
    { ...change, from: 'arrears', to: 'inactive', effectiveDate: '2027-03-16', reason: 'more_than_3_unpaid_months', payBy: null },
    { ...change, from: 'inactive', to: 'active', effectiveDate: '2027-03-20', reason: 'reactivation', firstUnpaid: null, payBy: null },
    { ...change, from: 'arrears', to: 'active', effectiveDate: '2027-01-10', reason: 'payment', firstUnpaid: null, payBy: null },
    { ...change, from: 'inactive', to: 'arrears', reason: 'reactivation' },
  ];

  it('emails name the new status and when it began', () => {
    const [arrears, inactive, reactivated, paid] = variants.map((v) => renderTemplate({ template: 'status_changed_email', ...v }));
    expect(arrears?.subject).toBe('Status kepesertaan BPJS Ketenagakerjaan: menunggak');
    expect(arrears?.body).toContain('Sejak 16 Desember 2026 status kepesertaan BPJS Ketenagakerjaan Anda menunggak, karena iuran bulan Desember 2026');
    expect(arrears?.body).toContain('bayar paling lambat 15 Maret 2027');
    expect(inactive?.subject).toBe('Status kepesertaan BPJS Ketenagakerjaan: nonaktif');
    expect(inactive?.body).toContain('lebih dari 3 bulan (sejak Desember 2026)');
    expect(inactive?.body).toContain('Tunggakan lama tidak ditagih');
    expect(reactivated?.body).toContain('aktif kembali sejak 20 Maret 2027 dengan nomor KPJ yang sama');
    expect(paid?.body).toContain('kembali aktif');
  });

  it.each(variants.map((v) => [`${v.from} → ${v.to}`, v] as const))('%s SMS fits one part', (_label, v) => {
    const sms = renderTemplate({ template: 'status_changed_sms', ...v });
    expect(sms.body.length, sms.body).toBeLessThanOrEqual(160);
    expect(sms.body).toContain(v.kpj);
  });
});

describe('template-only outbox rows (as the cycle queues them) render on read', () => {
  const ctx = { publicBaseUrl: 'http://lindung.test', cardSigner: {} as CardSigner };

  it('a reminder row renders like the template', () => {
    const data = { ...reminder } as unknown as Record<string, unknown>;
    expect(renderStoredMessage({ subject: '', body: '', template: 'due_reminder_email', data }, ctx)).toMatchObject({
      subject: renderTemplate({ template: 'due_reminder_email', ...reminder }).subject,
      body: renderTemplate({ template: 'due_reminder_email', ...reminder }).body,
    });
  });

  it('a status row renders like the template', () => {
    const data = { ...change } as unknown as Record<string, unknown>;
    expect(renderStoredMessage({ subject: '', body: '', template: 'status_changed_sms', data }, ctx).body).toBe(
      renderTemplate({ template: 'status_changed_sms', ...change }).body,
    );
  });
});
