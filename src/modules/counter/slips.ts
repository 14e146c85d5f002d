import { formatRupiah } from '../../shared/money.js';
import { qrMatrix } from '../cards/index.js';
import type { QueuePurpose } from './domain/queue-rules.js';

/**
 * The counter's printed slips, A6 PDFs (pdfkit, loaded on first use like the card): the queue ticket (branch, number,
 * purpose, time) and the payment slip of a bill (payment code, amount, months, expiry in Indonesian, the bill's
 * QRIS QR when the project makes one). Texts are Indonesian: the slip is handed to the member.
 */
export const PURPOSE_LABELS_ID: Record<QueuePurpose, string> = {
  registration: 'Pendaftaran',
  payment: 'Pembayaran iuran',
  claim: 'Klaim',
  other: 'Lainnya',
};

export interface TicketSlip {
  branchName: string;
  label: string;
  purpose: QueuePurpose;
  takenAt: Date;
  waitingBefore: number;
}

export interface ReceiptSlip {
  branchName: string | null;
  paymentCode: string;
  amount: number;
  /** 'YYYY-MM' months the bill pays, in order. */
  months: string[];
  expiresAt: Date;
  status: string;
  qrisPayload: string | null;
  printedAt: Date;
  /** The member's KPJ once the bill is paid (printed with LUNAS: the receipt of a counter registration). */
  kpj?: string | null;
}

const WIB = 'Asia/Jakarta';
const DATE_TIME = new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: WIB });
const MONTH = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** 'Senin, 7 Desember 2026 pukul 09.05 WIB'. */
export function formatWibId(instant: Date): string {
  return `${DATE_TIME.format(instant).replace(/\s*pukul\s*/, ' ').replace(/(\d{2})[.:](\d{2})$/, 'pukul $1.$2')} WIB`;
}

/** ['2026-12', '2027-01'] → 'Desember 2026 – Januari 2027 (2 bulan)'. */
export function formatMonthsId(months: readonly string[]): string {
  if (months.length === 0) return '–';
  const name = (m: string) => MONTH.format(new Date(`${m}-01T00:00:00Z`));
  const first = months[0] as string;
  const last = months[months.length - 1] as string;
  return months.length === 1 ? name(first) : `${name(first)} – ${name(last)} (${months.length} bulan)`;
}

let pdfkit: Promise<{ default: typeof import('pdfkit') }> | null = null;
const COLOR = { brand: '#00693e', ink: '#111827', muted: '#4b5563' } as const;
const MARGIN = 24;

async function a6(title: string, at: Date): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  pdfkit ??= import('pdfkit');
  const { default: PDFDocument } = await pdfkit;
  const doc = new PDFDocument({ size: 'A6', margin: MARGIN, lang: 'id-ID', info: { Title: title, Author: 'Lindung', Creator: 'Lindung', CreationDate: at } });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.rect(0, 0, doc.page.width, 34).fill(COLOR.brand);
  doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(10).text('BPJS Ketenagakerjaan', MARGIN, 12, { lineBreak: false });
  doc.y = 48;
  return { doc, done };
}

function field(doc: PDFKit.PDFDocument, label: string, value: string, size = 11): void {
  const width = doc.page.width - 2 * MARGIN;
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(8).text(label, MARGIN, doc.y, { width });
  doc.fillColor(COLOR.ink).font('Helvetica-Bold').fontSize(size).text(value, MARGIN, doc.y + 1, { width });
  doc.moveDown(0.6);
}

/** The queue ticket the member holds until called. */
export async function renderTicketPdf(t: TicketSlip): Promise<Buffer> {
  const { doc, done } = await a6(`Nomor antrean ${t.label}`, t.takenAt);
  const width = doc.page.width - 2 * MARGIN;
  doc.fillColor(COLOR.ink).font('Helvetica').fontSize(10).text(t.branchName, MARGIN, doc.y, { width, align: 'center' });
  doc.moveDown(0.8);
  doc.fillColor(COLOR.muted).fontSize(9).text('Nomor antrean', { width, align: 'center' });
  doc.fillColor(COLOR.ink).font('Helvetica-Bold').fontSize(48).text(t.label, { width, align: 'center' });
  doc.moveDown(0.5);
  field(doc, 'Keperluan', PURPOSE_LABELS_ID[t.purpose]);
  field(doc, 'Diambil', formatWibId(t.takenAt), 9);
  field(doc, 'Antrean sebelum Anda', String(t.waitingBefore), 9);
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(8).text('Mohon menunggu sampai nomor Anda dipanggil ke loket.', MARGIN, doc.y, { width });
  doc.end();
  return done;
}

/** The payment slip of a bill: what the member needs to pay it at a bank, a minimarket or by QRIS. */
export async function renderReceiptPdf(r: ReceiptSlip): Promise<Buffer> {
  const { doc, done } = await a6(`Slip pembayaran ${r.paymentCode}`, r.printedAt);
  const width = doc.page.width - 2 * MARGIN;
  doc.fillColor(COLOR.ink).font('Helvetica-Bold').fontSize(12).text('Slip Pembayaran Iuran BPU', MARGIN, doc.y, { width });
  if (r.branchName) doc.fillColor(COLOR.muted).font('Helvetica').fontSize(8).text(r.branchName, { width });
  doc.moveDown(0.6);
  field(doc, 'Kode bayar', r.paymentCode.replace(/(.{4})(?=.)/g, '$1 '), 14);
  field(doc, 'Jumlah', formatRupiah(r.amount), 14);
  field(doc, 'Untuk bulan', formatMonthsId(r.months), 9);
  field(doc, r.status === 'paid' ? 'Status' : 'Bayar sebelum', r.status === 'paid' ? 'LUNAS' : formatWibId(r.expiresAt), 9);
  if (r.status === 'paid' && r.kpj) field(doc, 'Nomor KPJ', r.kpj, 12);
  if (r.qrisPayload) drawQr(doc, r.qrisPayload, 96);
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(7).text(`Dicetak ${formatWibId(r.printedAt)}`, MARGIN, doc.page.height - MARGIN - 10, { width, lineBreak: false });
  doc.end();
  return done;
}

function drawQr(doc: PDFKit.PDFDocument, text: string, size: number): void {
  const matrix = qrMatrix(text);
  const cell = size / matrix.size;
  const x0 = (doc.page.width - size) / 2;
  const y0 = doc.y + 4;
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (matrix.isDark(col, row)) doc.rect(x0 + col * cell, y0 + row * cell, cell, cell);
    }
  }
  doc.fill('#000000');
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(7).text('Pindai dengan aplikasi pembayaran (QRIS)', MARGIN, y0 + size + 4, { width: doc.page.width - 2 * MARGIN, align: 'center' });
}
