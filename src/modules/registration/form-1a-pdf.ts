import { formatRupiah } from '../../shared/money.js';
import { qrMatrix } from '../cards/index.js';
import { formatFormCode } from './domain/form-code.js';

/**
 * The printed Formulir 1A (A4 PDF, pdfkit loaded on first use like the card and the counter's slips), in Indonesian:
 * the BPJS Ketenagakerjaan BPU registration form prefilled from the worker's web draft — the form code big and as a
 * QR (the QR holds the bare code, so a scanner types it into the counter's field), the personal data, occupation,
 * income, branch, programs and months (boxes ticked when chosen on the web, empty to fill in by hand otherwise), the
 * declaration and a signature box. The NIK is printed masked to its last 4 digits: the officer reads the whole
 * number from the KTP the worker brings (docs/architecture.md, "Formulir 1A").
 */

/** What the printed form and the counter's look-up prefill. The NIK only as its last 4 digits (the KTP is shown). */
export interface FormOneADraft {
  registrationId: string;
  formCode: string;
  formCodeExpiresAt: string;
  status: string;
  nikLast4: string;
  nikMasked: string;
  fullName: string;
  birthDate: string;
  gender: 'M' | 'F';
  address: string;
  phone: string;
  email: string;
  occupationCode: string;
  occupationName: string;
  sector: string;
  branchCode: string;
  branchName: string;
  /** Chosen on the web's program step; null before it (the worker fills them on paper). */
  programs: string[] | null;
  declaredIncome: number | null;
  months: number | null;
}

const W = 595.28;
const H = 841.89;
const M = 42;
const COLOR = { brand: '#00693e', ink: '#111827', muted: '#4b5563', line: '#9ca3af' } as const;
const PROGRAM_LABELS: [string, string][] = [
  ['JKK', 'Jaminan Kecelakaan Kerja (JKK)'],
  ['JKM', 'Jaminan Kematian (JKM)'],
  ['JHT', 'Jaminan Hari Tua (JHT)'],
];
const MONTH_CHOICES = [1, 3, 6, 12];
const DATE = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const WIB_DATE_TIME = new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' });

let pdfkit: Promise<{ default: typeof import('pdfkit') }> | null = null;

/** '1990-05-17' → '17 Mei 1990'. */
export function formatDateId(date: string): string {
  return DATE.format(new Date(`${date}T00:00:00Z`));
}

/** An instant as '6 Januari 2027 pukul 15.00 WIB'. */
export function formatInstantId(at: Date): string {
  return `${WIB_DATE_TIME.format(at).replace(/\s*pukul\s*/, ' ').replace(/(\d{2})[.:](\d{2})$/, 'pukul $1.$2')} WIB`;
}

async function a4(title: string, at: Date): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  pdfkit ??= import('pdfkit');
  const { default: PDFDocument } = await pdfkit;
  const doc = new PDFDocument({ size: 'A4', margin: M, lang: 'id-ID', info: { Title: title, Author: 'Lindung', Creator: 'Lindung', CreationDate: at } });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

function header(doc: PDFKit.PDFDocument, d: FormOneADraft): void {
  doc.rect(0, 0, W, 56).fill(COLOR.brand);
  doc.fillColor('#ffffff').font('Helvetica-Bold').fontSize(14).text('BPJS Ketenagakerjaan', M, 14, { lineBreak: false });
  doc.font('Helvetica').fontSize(9).text('Formulir Pendaftaran Peserta Bukan Penerima Upah (BPU)', M, 34, { lineBreak: false });
  doc.font('Helvetica-Bold').fontSize(20).text('FORMULIR 1A', W - M - 160, 18, { width: 160, align: 'right', lineBreak: false });
  const qrSize = 92;
  const top = 72;
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(9).text('Kode formulir', M, top);
  doc.fillColor(COLOR.ink).font('Courier-Bold').fontSize(34).text(formatFormCode(d.formCode), M, top + 12, { lineBreak: false });
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(8).text(`Berlaku sampai ${formatInstantId(new Date(d.formCodeExpiresAt))}. Petugas loket memindai kode ini untuk membuka data pendaftaran web Anda.`, M, top + 54, { width: W - 2 * M - qrSize - 16 });
  drawQr(doc, d.formCode, W - M - qrSize, top - 4, qrSize);
  doc.y = top + qrSize + 8;
}

function drawQr(doc: PDFKit.PDFDocument, text: string, x0: number, y0: number, size: number): void {
  const matrix = qrMatrix(text);
  const cell = size / matrix.size;
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (matrix.isDark(col, row)) doc.rect(x0 + col * cell, y0 + row * cell, cell, cell);
    }
  }
  doc.fill('#000000');
}

function section(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.4);
  const y = doc.y;
  doc.rect(M, y, W - 2 * M, 18).fill('#e6f0eb');
  doc.fillColor(COLOR.brand).font('Helvetica-Bold').fontSize(10).text(title, M + 6, y + 5, { lineBreak: false });
  doc.y = y + 24;
}

/** One labelled line of the form: the label left, the value (or an empty line to write on) right. */
function row(doc: PDFKit.PDFDocument, label: string, value: string | null): void {
  const y = doc.y;
  const x = M + 150;
  const width = W - M - x;
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(9).text(label, M, y + 2, { width: 145 });
  if (value) {
    doc.fillColor(COLOR.ink).font('Helvetica-Bold').fontSize(10).text(value, x, y + 1, { width });
  }
  const bottom = Math.max(doc.y, y + 16);
  doc.moveTo(x, bottom + 1).lineTo(W - M, bottom + 1).lineWidth(0.5).strokeColor(COLOR.line).stroke();
  doc.y = bottom + 6;
}

/** A line of tick boxes (wrapping at the margin); the chosen ones ticked (an X). */
function boxes(doc: PDFKit.PDFDocument, label: string, choices: { label: string; ticked: boolean }[]): void {
  const top = doc.y;
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(9).text(label, M, top + 2, { width: 145 });
  let x = M + 150;
  let y = top;
  for (const c of choices) {
    doc.fillColor(COLOR.ink).font('Helvetica').fontSize(9);
    const width = 14 + doc.widthOfString(c.label) + 16;
    if (x > M + 150 && x + width - 16 > W - M) {
      x = M + 150;
      y += 16;
    }
    doc.rect(x, y, 10, 10).lineWidth(0.8).strokeColor(COLOR.ink).stroke();
    if (c.ticked) doc.fillColor(COLOR.ink).font('Helvetica-Bold').fontSize(9).text('X', x + 2, y + 1, { lineBreak: false });
    doc.fillColor(COLOR.ink).font('Helvetica').fontSize(9).text(c.label, x + 14, y + 1, { lineBreak: false });
    x += width;
  }
  doc.y = y + 18;
}

function personal(doc: PDFKit.PDFDocument, d: FormOneADraft): void {
  section(doc, 'A. Data Diri Calon Peserta');
  row(doc, 'NIK (Nomor Induk Kependudukan)', `${d.nikMasked}  (tunjukkan e-KTP asli di loket)`);
  row(doc, 'Nama lengkap (sesuai KTP)', d.fullName);
  row(doc, 'Tanggal lahir', formatDateId(d.birthDate));
  boxes(doc, 'Jenis kelamin', [
    { label: 'Laki-laki', ticked: d.gender === 'M' },
    { label: 'Perempuan', ticked: d.gender === 'F' },
  ]);
  row(doc, 'Alamat', d.address);
  row(doc, 'Nomor ponsel', d.phone);
  row(doc, 'Email', d.email);
}

function work(doc: PDFKit.PDFDocument, d: FormOneADraft): void {
  section(doc, 'B. Pekerjaan dan Kantor Cabang');
  row(doc, 'Jenis pekerjaan', `${d.occupationName} (${d.occupationCode})`);
  row(doc, 'Penghasilan per bulan', d.declaredIncome === null ? null : formatRupiah(d.declaredIncome));
  row(doc, 'Kantor cabang', `${d.branchName} (${d.branchCode})`);
  section(doc, 'C. Program dan Iuran');
  const chosen = d.programs ?? [];
  boxes(
    doc,
    'Program',
    PROGRAM_LABELS.map(([code, label]) => ({ label, ticked: chosen.includes(code) })),
  );
  boxes(
    doc,
    'Bayar iuran untuk',
    MONTH_CHOICES.map((n) => ({ label: `${n} bulan`, ticked: d.months === n })),
  );
  doc.fillColor(COLOR.muted).font('Helvetica').fontSize(8).text('JKK dan JKM wajib; JHT pilihan. Jumlah iuran dan kode bayar diberikan petugas setelah data diperiksa.', M, doc.y, { width: W - 2 * M });
}

function declaration(doc: PDFKit.PDFDocument, printedAt: Date): void {
  section(doc, 'D. Pernyataan dan Tanda Tangan');
  doc
    .fillColor(COLOR.ink)
    .font('Helvetica')
    .fontSize(9)
    .text(
      'Saya menyatakan bahwa data di atas benar dan sesuai dengan dokumen kependudukan saya, dan saya bersedia mendaftar sebagai peserta BPJS Ketenagakerjaan Bukan Penerima Upah serta membayar iuran sesuai program yang dipilih.',
      M,
      doc.y,
      { width: W - 2 * M },
    );
  doc.moveDown(0.6);
  const y = doc.y;
  const boxW = 220;
  const boxH = 96;
  doc.fillColor(COLOR.muted).fontSize(9).text('Tempat, tanggal: ______________________________', M, y + 4, { lineBreak: false });
  doc.rect(W - M - boxW, y, boxW, boxH).lineWidth(0.8).strokeColor(COLOR.ink).stroke();
  doc.fillColor(COLOR.muted).fontSize(8).text('Tanda tangan calon peserta', W - M - boxW + 6, y + 4, { lineBreak: false });
  doc.text('Nama jelas: ______________________', W - M - boxW + 6, y + boxH - 14, { lineBreak: false });
  doc
    .fontSize(8)
    .text(
      'Bawa formulir ini bersama e-KTP asli ke kantor cabang BPJS Ketenagakerjaan atau Service Point Office (SPO) bank mitra. Tidak perlu mengisi ulang data yang sudah tercetak.',
      M,
      y + 28,
      { width: W - 2 * M - boxW - 16 },
    );
  doc.fillColor(COLOR.muted).fontSize(7).text(`Dicetak ${formatInstantId(printedAt)} dari pendaftaran web.`, M, H - M - 10, { width: W - 2 * M, lineBreak: false });
}

/** The prefilled Formulir 1A of a web draft (one A4 page). */
export async function renderFormOneAPdf(d: FormOneADraft, printedAt: Date): Promise<Buffer> {
  const { doc, done } = await a4(`Formulir 1A ${formatFormCode(d.formCode)}`, printedAt);
  header(doc, d);
  personal(doc, d);
  work(doc, d);
  declaration(doc, printedAt);
  doc.end();
  return done;
}
