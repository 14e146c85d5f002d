import { formatRupiah } from '../../shared/money.js';

/**
 * Message texts, Indonesian (the language of the people the system serves). SMS texts stay under 160 characters
 * so they travel as one part on any phone.
 */
export type Template =
  | { template: 'registration_email_token'; fullName: string; token: string; link: string }
  | { template: 'registration_otp'; otp: string }
  | { template: 'login_otp'; otp: string }
  | { template: 'payment_code'; fullName: string; paymentCode: string; amount: number; expiresAt: string }
  | { template: 'card_issued'; fullName: string; kpj: string; coveredThrough: string; verifyUrl: string; participantId: string }
  | { template: 'payment_receipt'; fullName: string; kpj: string; amount: number; months: string; paymentCode: string }
  | ({ template: 'due_reminder_email' | 'due_reminder_sms' } & DueReminder)
  | ({ template: 'status_changed_email' | 'status_changed_sms' } & StatusChanged)
  | ({ template: 'autodebit_failed_email' | 'autodebit_failed_sms' } & AutodebitFailed)
  | ({ template: 'autodebit_mandate_email' } & AutodebitMandateChanged)
  | ({ template: 'wallet_credited' } & WalletCredited)
  | ({ template: 'wallet_contribution' } & WalletContribution);

/**
 * Money reached a member's contribution wallet (src/modules/wallet): a top-up paid with their top-up code, the
 * excess of an overpayment, or unmatched money staff assigned to them. `balance` is the wallet balance right after.
 */
export interface WalletCredited {
  fullName: string;
  kpj: string;
  kind: 'topup' | 'overpayment' | 'manual_assignment';
  amount: number;
  balance: number;
  /** The code the money was paid with (the top-up code, or the overpaid bill's code), if any. */
  paymentCode: string | null;
}

/** The wallet paid the contribution months firstMonth..lastMonth (the receipt of a wallet sweep). */
export interface WalletContribution {
  fullName: string;
  kpj: string;
  amount: number;
  firstMonth: string;
  lastMonth: string;
  balance: number;
}

/**
 * A due-date reminder of the monthly cycle (queued by notifications/due-reminders.ts): `kind` h3 (three days before
 * the due date), due (on it) or overdue (after it). The member owes `monthCount` months from `firstMonth` through
 * `month`; `amount` is their total (null when it could not be priced); `payBy` is the last day on which paying still
 * keeps the membership from becoming inactive.
 */
export interface DueReminder {
  fullName: string;
  kpj: string;
  kind: 'h3' | 'due' | 'overdue';
  month: string;
  firstMonth: string;
  monthCount: number;
  dueDate: string;
  amount: number | null;
  payBy: string | null;
}

/**
 * An auto-debit attempt failed (src/modules/autodebit/collect.ts), told once per attempt. `nextAttemptDate` is the
 * next attempt's day, or null when none follows (the last attempt, or a failure the provider says not to retry): the
 * member must then pay manually with `paymentCode` by `payBy`.
 */
export interface AutodebitFailed {
  fullName: string;
  kpj: string;
  month: string;
  amount: number;
  providerName: string;
  accountMasked: string;
  /** A DebitFailureReason code (debit-provider.ts); unknown codes read as a rejection. */
  reason: string;
  attempt: number;
  attempts: number;
  nextAttemptDate: string | null;
  paymentCode: string;
  payBy: string | null;
}

/** A member registered or revoked an auto-debit mandate (a security notice: they should recognise it). */
export interface AutodebitMandateChanged {
  fullName: string;
  kpj: string;
  action: 'registered' | 'revoked';
  providerName: string;
  accountMasked: string;
  date: string;
}

/** A recorded membership status change (membership/status-changes.ts), told to the member. */
export interface StatusChanged {
  fullName: string;
  kpj: string;
  from: 'active' | 'arrears' | 'inactive';
  to: 'active' | 'arrears' | 'inactive';
  effectiveDate: string;
  reason: string;
  coveredThrough: string;
  firstUnpaid: string | null;
  payBy: string | null;
  arrearsWindowMonths: number;
}

export interface RenderedMessage {
  subject: string;
  body: string;
  /** What /dev/outbox exposes under `data`, and what the worker needs to finish the message (e.g. attach the card). */
  data: Record<string, unknown>;
}

export function renderTemplate(t: Template): RenderedMessage {
  switch (t.template) {
    case 'registration_email_token':
      return {
        subject: 'Verifikasi email pendaftaran BPJS Ketenagakerjaan BPU',
        body: [
          `Halo ${t.fullName},`,
          '',
          'Terima kasih telah mendaftar sebagai peserta Bukan Penerima Upah (BPU).',
          `Kode verifikasi email Anda: ${t.token}`,
          `Atau buka tautan ini untuk memverifikasi dan melanjutkan pendaftaran: ${t.link}`,
          '',
          'Jika Anda tidak merasa mendaftar, abaikan email ini.',
        ].join('\n'),
        data: { token: t.token },
      };
    case 'registration_otp':
      return { subject: '', body: `Kode OTP pendaftaran BPJS Ketenagakerjaan: ${t.otp}. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.`, data: { otp: t.otp } };
    case 'login_otp':
      return { subject: '', body: `Kode masuk Lindung BPJS Ketenagakerjaan: ${t.otp}. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.`, data: { otp: t.otp } };
    case 'payment_code':
      return {
        subject: `Kode pembayaran iuran ${t.paymentCode}`,
        body: [
          `Halo ${t.fullName},`,
          '',
          `Kode pembayaran iuran Anda: ${t.paymentCode}`,
          `Jumlah: ${formatRupiah(t.amount)}`,
          `Bayar sebelum: ${t.expiresAt} (WIB). Setelah itu kode tidak berlaku dan pendaftaran perlu diajukan ulang.`,
          '',
          'Bayar melalui virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra dengan kode di atas.',
        ].join('\n'),
        data: { paymentCode: t.paymentCode },
      };
    case 'card_issued':
      return {
        subject: `Kartu peserta BPJS Ketenagakerjaan — KPJ ${t.kpj}`,
        body: [
          `Selamat ${t.fullName}, kepesertaan Anda sudah aktif.`,
          '',
          `Nomor KPJ: ${t.kpj}`,
          `Masa perlindungan sampai dengan: ${t.coveredThrough}`,
          `Kartu digital terlampir (PDF). Keaslian kartu dapat dicek di: ${t.verifyUrl}`,
          '',
          'Bayar iuran paling lambat tanggal 15 setiap bulan agar perlindungan tetap aktif.',
        ].join('\n'),
        data: { kpj: t.kpj, participantId: t.participantId, attachCard: true },
      };
    case 'payment_receipt':
      return {
        subject: `Tanda terima iuran KPJ ${t.kpj}`,
        body: [
          `Halo ${t.fullName},`,
          '',
          `Iuran sebesar ${formatRupiah(t.amount)} untuk bulan ${t.months} telah kami terima (kode ${t.paymentCode}).`,
          'Terima kasih telah menjaga perlindungan Anda tetap aktif.',
        ].join('\n'),
        data: { kpj: t.kpj },
      };
    case 'due_reminder_email':
      return { ...dueReminderEmail(t), data: { kpj: t.kpj, kind: t.kind, month: t.month, amount: t.amount } };
    case 'due_reminder_sms':
      return { subject: '', body: dueReminderSms(t), data: { kpj: t.kpj, kind: t.kind, month: t.month, amount: t.amount } };
    case 'status_changed_email':
      return { ...statusChangedEmail(t), data: { kpj: t.kpj, from: t.from, to: t.to, effectiveDate: t.effectiveDate, reason: t.reason } };
    case 'status_changed_sms':
      return { subject: '', body: statusChangedSms(t), data: { kpj: t.kpj, from: t.from, to: t.to, effectiveDate: t.effectiveDate, reason: t.reason } };
    case 'autodebit_failed_email':
      return { ...autodebitFailedEmail(t), data: { kpj: t.kpj, month: t.month, attempt: t.attempt, final: t.nextAttemptDate === null, paymentCode: t.paymentCode } };
    case 'autodebit_failed_sms':
      return { subject: '', body: autodebitFailedSms(t), data: { kpj: t.kpj, month: t.month, attempt: t.attempt, final: t.nextAttemptDate === null, paymentCode: t.paymentCode } };
    case 'autodebit_mandate_email':
      return { ...autodebitMandateEmail(t), data: { kpj: t.kpj, action: t.action } };
    case 'wallet_credited':
      return { ...walletCreditedEmail(t), data: { kpj: t.kpj, kind: t.kind, amount: t.amount, balance: t.balance } };
    case 'wallet_contribution':
      return { ...walletContributionEmail(t), data: { kpj: t.kpj, amount: t.amount, firstMonth: t.firstMonth, lastMonth: t.lastMonth, balance: t.balance } };
  }
}

const MONTH_LONG = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH_SHORT = new Intl.DateTimeFormat('id-ID', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_LONG = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function utcDate(isoDateOrMonth: string): Date {
  const [y, m, d] = isoDateOrMonth.split('-').map(Number) as [number, number, number | undefined];
  return new Date(Date.UTC(y, m - 1, d ?? 1));
}

/** '2026-12' → 'Desember 2026'. */
function monthLong(month: string): string {
  return MONTH_LONG.format(utcDate(month));
}

/** '2026-12' → 'Des 2026' (SMS). */
function monthShort(month: string): string {
  return MONTH_SHORT.format(utcDate(month)).replace('.', '');
}

/** '2026-12-15' → '15 Desember 2026'. */
function dateLong(date: string): string {
  return DATE_LONG.format(utcDate(date));
}

/** '2026-12-15' → '15/12/2026' (SMS). */
function dateShort(date: string): string {
  const [y, m, d] = date.split('-') as [string, string, string];
  return `${d}/${m}/${y}`;
}

function monthsOwed(t: DueReminder, format: (m: string) => string): string {
  return t.monthCount > 1 ? `${format(t.firstMonth)} s.d. ${format(t.month)}` : format(t.month);
}

const HOW_TO_PAY =
  'Buat kode pembayaran di portal Lindung (Akun saya), lalu bayar melalui virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra.';

function dueReminderEmail(t: DueReminder): { subject: string; body: string } {
  const owed = monthsOwed(t, monthLong);
  const amountLine = t.amount === null ? `Iuran yang perlu dibayar: ${owed}.` : `Jumlah yang perlu dibayar: ${formatRupiah(t.amount)} (iuran ${owed}).`;
  const arrearsLine =
    t.monthCount > 1 && t.payBy !== null
      ? `Iuran ${monthLong(t.firstMonth)} sudah lewat jatuh tempo. Bayar paling lambat ${dateLong(t.payBy)} agar kepesertaan tidak menjadi nonaktif. Tunggakan tidak dikenai denda.`
      : null;
  const lead = {
    h3: `Iuran BPJS Ketenagakerjaan Anda untuk bulan ${monthLong(t.month)} jatuh tempo pada ${dateLong(t.dueDate)} (3 hari lagi).`,
    due: `Hari ini, ${dateLong(t.dueDate)}, adalah batas akhir pembayaran iuran BPJS Ketenagakerjaan bulan ${monthLong(t.month)}.`,
    overdue: `Iuran BPJS Ketenagakerjaan bulan ${monthLong(t.month)} belum kami terima sampai jatuh tempo ${dateLong(t.dueDate)}. Status kepesertaan Anda sekarang menunggak: perlindungan JKK dan JKM hanya berlaku untuk bulan yang sudah dibayar.`,
  }[t.kind];
  const overdueLine =
    t.kind === 'overdue' && t.payBy !== null && arrearsLine === null
      ? `Bayar paling lambat ${dateLong(t.payBy)} agar kepesertaan tidak menjadi nonaktif. Tunggakan tidak dikenai denda.`
      : null;
  const subject = {
    h3: `Pengingat: iuran ${monthLong(t.month)} jatuh tempo ${dateLong(t.dueDate)}`,
    due: `Hari ini batas bayar iuran ${monthLong(t.month)}`,
    overdue: `Iuran ${monthLong(t.month)} belum dibayar — status menunggak`,
  }[t.kind];
  const body = [
    `Halo ${t.fullName},`,
    '',
    lead,
    amountLine,
    ...(arrearsLine ? [arrearsLine] : []),
    ...(overdueLine ? [overdueLine] : []),
    '',
    HOW_TO_PAY,
    `Nomor KPJ: ${t.kpj}`,
    '',
    'Abaikan pesan ini jika Anda sudah membayar.',
  ].join('\n');
  return { subject, body };
}

/** Under 160 characters: one SMS part on any phone. */
function dueReminderSms(t: DueReminder): string {
  const owed = monthsOwed(t, monthShort);
  const amount = t.amount === null ? '' : ` ${formatRupiah(t.amount)}`;
  switch (t.kind) {
    case 'h3':
      return `BPJSTK: iuran ${owed}${amount} jatuh tempo ${dateShort(t.dueDate)}. Kode bayar di Lindung; bayar via VA, QRIS, e-wallet, minimarket. KPJ ${t.kpj}`;
    case 'due':
      return `BPJSTK: hari ini ${dateShort(t.dueDate)} batas bayar iuran ${owed}${amount}. Kode bayar di Lindung. KPJ ${t.kpj}`;
    case 'overdue': {
      const payBy = t.payBy === null ? '' : ` Bayar sebelum ${dateShort(t.payBy)} agar tidak nonaktif.`;
      return `BPJSTK: iuran ${owed}${amount} belum dibayar, status MENUNGGAK.${payBy} Tanpa denda. KPJ ${t.kpj}`;
    }
  }
}

const STATUS_NAME = { active: 'aktif', arrears: 'menunggak', inactive: 'nonaktif' } as const;

function statusChangedEmail(t: StatusChanged): { subject: string; body: string } {
  const since = dateLong(t.effectiveDate);
  let lines: string[];
  switch (t.to) {
    case 'arrears':
      lines =
        t.from === 'inactive'
          ? [`Pembayaran Anda telah kami terima. Sejak ${since} kepesertaan Anda aktif kembali dengan status menunggak: masih ada iuran yang belum dibayar.`]
          : [
              `Sejak ${since} status kepesertaan BPJS Ketenagakerjaan Anda menunggak, karena iuran bulan ${t.firstUnpaid ? monthLong(t.firstUnpaid) : ''} belum dibayar sampai jatuh tempo.`,
              'Selama menunggak, perlindungan JKK dan JKM hanya berlaku untuk bulan yang sudah dibayar.',
              `Tunggakan sampai ${t.arrearsWindowMonths} bulan dapat dibayar tanpa denda${t.payBy ? `; bayar paling lambat ${dateLong(t.payBy)} agar kepesertaan tidak menjadi nonaktif` : ''}.`,
              HOW_TO_PAY,
            ];
      break;
    case 'inactive':
      lines = [
        `Sejak ${since} kepesertaan BPJS Ketenagakerjaan Anda nonaktif, karena iuran lebih dari ${t.arrearsWindowMonths} bulan${t.firstUnpaid ? ` (sejak ${monthLong(t.firstUnpaid)})` : ''} belum dibayar.`,
        'Anda tidak lagi terlindungi JKK dan JKM sampai kepesertaan aktif kembali.',
        'Untuk aktif kembali, bayar iuran mulai bulan berjalan di portal Lindung, atau daftar ulang dengan NIK yang sama. Tunggakan lama tidak ditagih, dan nomor KPJ Anda tetap.',
      ];
      break;
    case 'active':
      lines =
        t.from === 'inactive'
          ? [`Selamat, kepesertaan BPJS Ketenagakerjaan Anda aktif kembali sejak ${since} dengan nomor KPJ yang sama.`, 'Bayar iuran paling lambat tanggal 15 setiap bulan agar perlindungan tetap aktif.']
          : [`Terima kasih, tunggakan iuran Anda telah dibayar. Sejak ${since} status kepesertaan Anda kembali aktif.`];
      break;
  }
  return {
    subject: `Status kepesertaan BPJS Ketenagakerjaan: ${STATUS_NAME[t.to]}`,
    body: [`Halo ${t.fullName},`, '', ...lines, '', `Nomor KPJ: ${t.kpj}`].join('\n'),
  };
}

function statusChangedSms(t: StatusChanged): string {
  const since = dateShort(t.effectiveDate);
  switch (t.to) {
    case 'arrears':
      return t.from === 'inactive'
        ? `BPJSTK: pembayaran diterima, kepesertaan aktif kembali sejak ${since} (masih ada tunggakan). KPJ ${t.kpj}`
        : `BPJSTK: sejak ${since} status Anda MENUNGGAK (iuran ${t.firstUnpaid ? monthShort(t.firstUnpaid) : ''} belum dibayar).${t.payBy ? ` Bayar sebelum ${dateShort(t.payBy)} agar tidak nonaktif.` : ''} KPJ ${t.kpj}`;
    case 'inactive':
      return `BPJSTK: sejak ${since} kepesertaan Anda NONAKTIF, iuran >${t.arrearsWindowMonths} bln belum dibayar. Aktifkan lagi: bayar iuran bulan ini di Lindung. KPJ ${t.kpj}`;
    case 'active':
      return t.from === 'inactive'
        ? `BPJSTK: kepesertaan Anda AKTIF kembali sejak ${since}, KPJ tetap ${t.kpj}. Bayar iuran paling lambat tgl 15 tiap bulan.`
        : `BPJSTK: terima kasih, tunggakan lunas. Status Anda AKTIF kembali sejak ${since}. KPJ ${t.kpj}`;
  }
}

function walletCreditedEmail(t: WalletCredited): { subject: string; body: string } {
  const why =
    t.kind === 'topup'
      ? `Isi saldo dompet iuran sebesar ${formatRupiah(t.amount)} telah kami terima${t.paymentCode ? ` (kode ${t.paymentCode})` : ''}.`
      : t.kind === 'overpayment'
        ? `Pembayaran Anda${t.paymentCode ? ` untuk kode ${t.paymentCode}` : ''} melebihi tagihan. Kelebihan bayar ${formatRupiah(t.amount)} kami simpan di dompet iuran Anda.`
        : `Dana sebesar ${formatRupiah(t.amount)} yang kami terima untuk Anda telah dimasukkan ke dompet iuran Anda oleh petugas.`;
  return {
    subject: `Saldo dompet iuran bertambah ${formatRupiah(t.amount)} — KPJ ${t.kpj}`,
    body: [
      `Halo ${t.fullName},`,
      '',
      why,
      `Saldo dompet iuran Anda sekarang: ${formatRupiah(t.balance)}.`,
      'Setiap kali saldo cukup untuk iuran satu bulan, iuran bulan berikutnya otomatis dibayar dari dompet ini.',
    ].join('\n'),
  };
}

function walletContributionEmail(t: WalletContribution): { subject: string; body: string } {
  const months = t.firstMonth === t.lastMonth ? monthLong(t.firstMonth) : `${monthLong(t.firstMonth)} s.d. ${monthLong(t.lastMonth)}`;
  return {
    subject: `Tanda terima iuran KPJ ${t.kpj} (dompet iuran)`,
    body: [
      `Halo ${t.fullName},`,
      '',
      `Iuran sebesar ${formatRupiah(t.amount)} untuk bulan ${months} telah dibayar dari dompet iuran Anda.`,
      `Sisa saldo dompet iuran: ${formatRupiah(t.balance)}.`,
      'Terima kasih telah menjaga perlindungan Anda tetap aktif.',
    ].join('\n'),
  };
}

const DEBIT_FAILURE_TEXT: Record<string, string> = {
  insufficient_funds: 'saldo tidak cukup',
  account_inactive: 'rekening tidak aktif',
  limit_exceeded: 'melebihi batas transaksi',
  rejected: 'ditolak oleh bank/penyedia',
};

function debitFailureText(reason: string): string {
  return DEBIT_FAILURE_TEXT[reason] ?? DEBIT_FAILURE_TEXT['rejected']!;
}

function autodebitFailedEmail(t: AutodebitFailed): { subject: string; body: string } {
  const month = monthLong(t.month);
  const lead = `Autodebet iuran BPJS Ketenagakerjaan bulan ${month} sebesar ${formatRupiah(t.amount)} dari ${t.providerName} ${t.accountMasked} gagal: ${debitFailureText(t.reason)}.`;
  const lines =
    t.nextAttemptDate !== null
      ? [
          lead,
          `Kami akan mencoba lagi pada ${dateLong(t.nextAttemptDate)} (percobaan ${t.attempt + 1} dari ${t.attempts}). Pastikan saldo Anda mencukupi.`,
          `Anda juga bisa membayar sendiri sekarang dengan kode bayar ${t.paymentCode} melalui virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra.`,
        ]
      : [
          lead,
          t.attempt >= t.attempts ? 'Ini percobaan terakhir: autodebet tidak dicoba lagi untuk bulan ini.' : 'Autodebet tidak dapat dicoba lagi untuk bulan ini.',
          `Mohon bayar manual dengan kode bayar ${t.paymentCode}${t.payBy ? ` paling lambat ${dateLong(t.payBy)}` : ''} melalui virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra, agar kepesertaan tidak menjadi nonaktif. Tunggakan tidak dikenai denda.`,
          'Periksa rekening atau dompet digital Anda; mandat autodebet dapat diganti di portal Lindung (Akun saya › Autodebet).',
        ];
  return {
    subject: t.nextAttemptDate !== null ? `Autodebet iuran ${month} gagal — dicoba lagi ${dateLong(t.nextAttemptDate)}` : `Autodebet iuran ${month} gagal — mohon bayar manual`,
    body: [`Halo ${t.fullName},`, '', ...lines, '', `Nomor KPJ: ${t.kpj}`].join('\n'),
  };
}

/** Under 160 characters: one SMS part on any phone. */
function autodebitFailedSms(t: AutodebitFailed): string {
  const head = `BPJSTK: autodebet iuran ${monthShort(t.month)} ${formatRupiah(t.amount)} gagal (${debitFailureText(t.reason)}).`;
  return t.nextAttemptDate !== null
    ? `${head} Dicoba lagi ${dateShort(t.nextAttemptDate)}; pastikan saldo cukup. KPJ ${t.kpj}`
    : `${head} Bayar manual, kode bayar ${t.paymentCode}${t.payBy ? ` sblm ${dateShort(t.payBy)}` : ''}. KPJ ${t.kpj}`;
}

function autodebitMandateEmail(t: AutodebitMandateChanged): { subject: string; body: string } {
  const account = `${t.providerName} ${t.accountMasked}`;
  const lines =
    t.action === 'registered'
      ? [
          `Mandat autodebet iuran BPJS Ketenagakerjaan Anda telah didaftarkan pada ${dateLong(t.date)}: ${account}.`,
          'Mulai sekarang iuran bulanan didebit otomatis pada tanggal jatuh tempo (tanggal 15, atau hari kerja berikutnya). Bila gagal, kami mencoba lagi dan memberi tahu Anda.',
          'Jika Anda tidak merasa mendaftarkannya, segera cabut mandat di portal Lindung (Akun saya › Autodebet).',
        ]
      : [
          `Mandat autodebet ${account} telah dicabut pada ${dateLong(t.date)}.`,
          'Iuran berikutnya tidak lagi didebit otomatis. Bayar dengan kode bayar dari portal Lindung sebelum tanggal jatuh tempo.',
        ];
  return {
    subject: t.action === 'registered' ? `Autodebet iuran diaktifkan — KPJ ${t.kpj}` : `Autodebet iuran dicabut — KPJ ${t.kpj}`,
    body: [`Halo ${t.fullName},`, '', ...lines, '', `Nomor KPJ: ${t.kpj}`].join('\n'),
  };
}
