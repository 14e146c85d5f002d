import type { Participant } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { addMonths } from '../../shared/month.js';
import { formatRupiah } from '../../shared/money.js';

/**
 * The receipt (bukti bayar) of a paid bill (issue 18 item 7): for every payment, any time, from the member's payment
 * history; only the member's own bills (the first bill of their registration included). A4 PDF in Indonesian,
 * pdfkit loaded on first use like the card and Formulir 1A.
 */
export interface PaymentReceipt {
  billId: string;
  kpj: string;
  fullName: string;
  amount: number;
  firstMonth: string;
  monthCount: number;
  /** The payment channel's code ('va', 'qris', …); null for a bill paid from the contribution wallet or unknown. */
  channel: string | null;
  kind: string;
  paidAt: Date;
  paymentCode: string;
  /** The payment's reference in Lindung (the payment id), else the bill id. */
  reference: string;
}

/** The member's paid bill `billId` as a receipt; undefined when it is not theirs, not paid, or unknown (a 404). */
export async function findPaymentReceipt(
  deps: Pick<Deps, 'db'>,
  participant: Pick<Participant, 'id' | 'registration_id' | 'kpj' | 'full_name'>,
  billId: string,
): Promise<PaymentReceipt | undefined> {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(billId)) {
    return undefined;
  }
  const row = await deps.db
    .selectFrom('bill')
    .leftJoin('payment', 'payment.id', 'bill.payment_id')
    .select(['bill.id', 'bill.amount', 'bill.first_month', 'bill.month_count', 'bill.paid_at', 'bill.kind', 'bill.payment_code', 'payment.channel', 'payment.id as payment_id', 'payment.paid_at as payment_paid_at'])
    .where('bill.id', '=', billId)
    .where('bill.status', '=', 'paid')
    .where((eb) => eb.or([eb('bill.participant_id', '=', participant.id), eb('bill.registration_id', '=', participant.registration_id)]))
    .executeTakeFirst();
  const paidAt = row?.payment_paid_at ?? row?.paid_at;
  if (!row || !paidAt) {
    return undefined;
  }
  return {
    billId: row.id,
    kpj: participant.kpj,
    fullName: participant.full_name,
    amount: row.amount,
    firstMonth: row.first_month,
    monthCount: row.month_count,
    channel: row.kind === 'wallet' ? null : row.channel,
    kind: row.kind,
    paidAt,
    paymentCode: row.payment_code,
    reference: row.payment_id ?? row.id,
  };
}

const CHANNEL_ID: Readonly<Record<string, string>> = {
  va: 'Transfer virtual account',
  qris: 'QRIS',
  ewallet: 'Dompet digital',
  retail: 'Minimarket',
  counter: 'Loket mitra',
  autodebit: 'Autodebet',
};

const MONTH = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const WIB = new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' });

const monthId = (month: string) => MONTH.format(new Date(`${month}-01T00:00:00Z`));

/** What the receipt says, line by line (label, value): also what a test reads back from the PDF. */
export function receiptLines(r: PaymentReceipt): [string, string][] {
  const last = addMonths(r.firstMonth, r.monthCount - 1);
  const months = r.monthCount === 1 ? monthId(r.firstMonth) : `${monthId(r.firstMonth)} – ${monthId(last)} (${r.monthCount} bulan)`;
  const when = WIB.formatToParts(r.paidAt);
  const part = (t: Intl.DateTimeFormatPartTypes) => when.find((p) => p.type === t)?.value ?? '';
  return [
    ['Nama peserta', r.fullName],
    ['Nomor KPJ', r.kpj.replace(/(.{4})(?=.)/g, '$1 ')],
    ['Jumlah dibayar', formatRupiah(r.amount)],
    ['Untuk iuran', months],
    ['Cara bayar', r.kind === 'wallet' ? 'Saldo dompet iuran' : (r.channel && CHANNEL_ID[r.channel]) ?? 'Lainnya'],
    ['Waktu bayar', `${part('weekday')}, ${part('day')} ${part('month')} ${part('year')} pukul ${part('hour')}.${part('minute')} WIB`],
    ['Kode bayar', r.paymentCode.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['No. referensi', r.reference],
  ];
}

let pdfkit: Promise<{ default: typeof import('pdfkit') }> | null = null;

/** The receipt as an A4 PDF (Indonesian), and its file name. */
export async function renderReceiptPdf(r: PaymentReceipt): Promise<{ pdf: Buffer; fileName: string }> {
  pdfkit ??= import('pdfkit');
  const { default: PDFDocument } = await pdfkit;
  const doc = new PDFDocument({ size: 'A4', margin: 48, lang: 'id-ID', info: { Title: `Bukti bayar iuran ${r.paymentCode}`, Author: 'Lindung', Creator: 'Lindung', CreationDate: r.paidAt } });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.rect(0, 0, 595.28, 64).fill('#00693e');
  doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(16).text('BPJS Ketenagakerjaan', 48, 16, { lineBreak: false });
  doc.font('Helvetica').fontSize(10).text('Peserta Bukan Penerima Upah (BPU) — Lindung', 48, 40, { lineBreak: false });
  doc.fillColor('#111827').font('Helvetica-Bold').fontSize(20).text('BUKTI BAYAR IURAN', 48, 96);
  doc.font('Helvetica').fontSize(10).fillColor('#15803d').text('LUNAS — pembayaran sudah diterima', 48, 124);
  let y = 160;
  for (const [label, value] of receiptLines(r)) {
    doc.fillColor('#4b5563').font('Helvetica').fontSize(10).text(label, 48, y, { width: 140 });
    doc.fillColor('#111827').font('Helvetica-Bold').fontSize(12).text(value, 196, y - 1, { width: 350 });
    y += 28;
  }
  doc.fillColor('#4b5563').font('Helvetica').fontSize(9).text('Bukti bayar ini dibuat otomatis oleh Lindung dan sah tanpa tanda tangan. Simpan untuk catatan Anda.', 48, y + 16, { width: 500 });
  doc.end();
  return { pdf: await done, fileName: `bukti-bayar-${r.paymentCode}.pdf` };
}
