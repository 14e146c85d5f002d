import { isMonth } from '../../shared/month.js';
import { qrMatrix } from './card-qr.js';

export interface CardView {
  kpj: string;
  fullName: string;
  programs: string[];
  /** Last covered month, 'YYYY-MM'. */
  coveredThrough: string;
  branchName: string;
  issuedAt: Date;
  verifyUrl: string;
  status: 'active' | 'arrears' | 'inactive';
}

export interface RenderCardOptions {
  /** Deflate content streams (default true). Tests turn it off to read the drawing operators. */
  compress?: boolean;
}

// ID-1 (credit-card) size, 85.6 × 54 mm, in PDF points (1 pt = 1/72 in).
const CARD_WIDTH = (85.6 / 25.4) * 72;
const CARD_HEIGHT = (54 / 25.4) * 72;
const PAD = 10;
const HEADER_HEIGHT = 22;
const QR_SIZE = 72;
const QR_X = CARD_WIDTH - PAD - QR_SIZE;
const QR_Y = HEADER_HEIGHT + 6; // 6 pt of white ≈ 4 modules of quiet zone below the coloured header
const TEXT_WIDTH = QR_X - PAD - 8;

const COLOR = { brand: '#00693e', ink: '#111827', muted: '#6b7280', qr: '#000000' } as const;

const STATUS_BADGE: Record<CardView['status'], { label: string; color: string }> = {
  active: { label: 'AKTIF', color: '#15803d' },
  arrears: { label: 'MENUNGGAK', color: '#b45309' },
  inactive: { label: 'TIDAK AKTIF', color: '#6b7280' },
};

const MONTH_FORMAT = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'UTC' });
// Issue dates are shown as the member experiences them: Jakarta time.
const DATE_FORMAT = new Intl.DateTimeFormat('id-ID', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Asia/Jakarta',
});

/** '2026-12' → 'Desember 2026'. */
export function formatMonthId(month: string): string {
  if (!isMonth(month)) {
    throw new RangeError(`not a month: ${month}`);
  }
  const [year, month1] = month.split('-').map(Number) as [number, number];
  return MONTH_FORMAT.format(new Date(Date.UTC(year, month1 - 1, 1)));
}

/** Groups of four from the left ('24012345678' → '2401 2345 678') so the number is easy to read out. */
export function formatKpj(kpj: string): string {
  return kpj.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * pdfkit (with its font metrics) is loaded on the first card, not at start: ~25 MiB of the server's memory that most
 * processes never need (issue 13, RSS).
 */
let pdfkit: Promise<{ default: typeof import('pdfkit') }> | null = null;

export async function renderCardPdf(card: CardView, options: RenderCardOptions = {}): Promise<Buffer> {
  pdfkit ??= import('pdfkit');
  const { default: PDFDocument } = await pdfkit;
  const doc = new PDFDocument({
    size: [CARD_WIDTH, CARD_HEIGHT],
    margin: 0,
    compress: options.compress ?? true,
    lang: 'id-ID',
    // pdfkit derives the file /ID from the info dictionary, so a fixed CreationDate makes output byte-identical.
    info: {
      Title: `Kartu Peserta BPJS Ketenagakerjaan BPU ${formatKpj(card.kpj)}`,
      Author: 'Lindung',
      Creator: 'Lindung',
      CreationDate: card.issuedAt,
    },
  });
  const done = collect(doc);

  doc.rect(0, 0, CARD_WIDTH, HEADER_HEIGHT).fill(COLOR.brand);
  fitLine(doc, 'Kartu Peserta BPJS Ketenagakerjaan — Bukan Penerima Upah', {
    x: PAD, y: 8, width: CARD_WIDTH - 2 * PAD, font: 'Helvetica-Bold', size: 7, color: '#ffffff',
  });

  let y = QR_Y;
  const field = (label: string, value: string, size: number, font = 'Helvetica'): void => {
    fitLine(doc, label, { x: PAD, y, width: TEXT_WIDTH, font: 'Helvetica', size: 5, color: COLOR.muted });
    fitLine(doc, value, { x: PAD, y: y + 6, width: TEXT_WIDTH, font, size, color: COLOR.ink });
    y += 9 + size * 1.2;
  };
  field('Nomor KPJ', formatKpj(card.kpj), 10, 'Helvetica-Bold');
  field('Nama', card.fullName, 8, 'Helvetica-Bold');
  field('Program', card.programs.join(', ') || '–', 7);
  field('Masa perlindungan s.d.', formatMonthId(card.coveredThrough), 7);
  drawBadge(doc, STATUS_BADGE[card.status], PAD, y + 2);

  drawQr(doc, card.verifyUrl);
  fitLine(doc, 'Pindai untuk verifikasi', {
    x: QR_X, y: QR_Y + QR_SIZE + 3, width: QR_SIZE, font: 'Helvetica', size: 5, color: COLOR.muted, align: 'center',
  });

  // Footer: issue date right-aligned at full size; the branch name gets whatever width is left.
  const footerY = CARD_HEIGHT - PAD - 5;
  const issued = `Diterbitkan ${DATE_FORMAT.format(card.issuedAt)}`;
  const issuedWidth = doc.font('Helvetica').fontSize(5).widthOfString(issued);
  const footer = { y: footerY, font: 'Helvetica', size: 5, color: COLOR.muted };
  fitLine(doc, issued, { ...footer, x: CARD_WIDTH - PAD - issuedWidth, width: issuedWidth });
  fitLine(doc, card.branchName, { ...footer, x: PAD, width: CARD_WIDTH - 2 * PAD - issuedWidth - 8 });

  doc.end();
  return done;
}

/** One rectangle per dark module, filled as a single path so renderers leave no hairline seams. */
function drawQr(doc: PDFKit.PDFDocument, text: string): void {
  const matrix = qrMatrix(text);
  const cell = QR_SIZE / matrix.size;
  for (let row = 0; row < matrix.size; row++) {
    for (let col = 0; col < matrix.size; col++) {
      if (matrix.isDark(col, row)) {
        doc.rect(QR_X + col * cell, QR_Y + row * cell, cell, cell);
      }
    }
  }
  doc.fill(COLOR.qr);
}

function drawBadge(doc: PDFKit.PDFDocument, badge: { label: string; color: string }, x: number, y: number): void {
  doc.font('Helvetica-Bold').fontSize(5);
  const width = doc.widthOfString(badge.label) + 8;
  doc.roundedRect(x, y, width, 9, 2).fill(badge.color);
  fitLine(doc, badge.label, { x: x + 4, y: y + 2.3, width, font: 'Helvetica-Bold', size: 5, color: '#ffffff' });
}

interface LineStyle {
  /** The line sits in the box [x, x + width]. */
  x: number;
  y: number;
  width: number;
  font: string;
  size: number;
  color: string;
  align?: 'left' | 'center' | 'right';
}

/**
 * Draws a single line that never wraps (a wrap would spill off a card this small): shrinks the font
 * down to 70% to fit, then cuts the text with an ellipsis.
 */
function fitLine(doc: PDFKit.PDFDocument, text: string, style: LineStyle): void {
  doc.font(style.font).fontSize(style.size);
  const natural = doc.widthOfString(text);
  if (natural > style.width) {
    doc.fontSize(Math.max(style.size * 0.7, (style.size * style.width) / natural));
  }
  // No card line holds 200 characters even at the smallest size; the cap keeps the cutting loop short.
  const source = text.slice(0, 200);
  let line = source;
  for (let keep = source.length - 1; keep > 0 && doc.widthOfString(line) > style.width; keep--) {
    line = `${source.slice(0, keep).trimEnd()}…`;
  }
  const slack = style.width - doc.widthOfString(line);
  const x = style.x + (style.align === 'center' ? slack / 2 : style.align === 'right' ? slack : 0);
  doc.fillColor(style.color).text(line, x, style.y, { lineBreak: false });
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
