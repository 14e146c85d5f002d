import { inflateSync } from 'node:zlib';
import { describe, it, expect } from 'vitest';
import jsqrModule from 'jsqr';
import { formatKpj, formatMonthId, renderCardPdf } from './card-pdf.js';
import type { CardView } from './card-pdf.js';
import { qrMatrix } from './card-qr.js';

// jsqr is CommonJS with typings written as an ES default export: under NodeNext the default import is
// module.exports, and the decoder is its `default` property (set by the package at runtime too).
const jsQR = jsqrModule.default;

const card: CardView = {
  kpj: '24012345678',
  fullName: 'Siti Nurhaliza',
  programs: ['JKK', 'JKM', 'JHT'],
  coveredThrough: '2026-12',
  branchName: 'Kantor Cabang Jakarta Salemba',
  issuedAt: new Date('2026-11-22T02:00:00.000Z'),
  verifyUrl: 'https://lindung.id/v/eyJ2IjoxLCJrcGoiOiIyNDAxMjM0NTY3OCJ9.mdj2WuxOWoa62fH0oCgxfT3jMKb3plcsYYlJmSnBB1-MulYUVHcJKns3fRs99L9UaiHWDiFXxx6QuJT22WNYDw',
  status: 'active',
};

/** Raw bytes of every stream in the file, inflated when FlateDecode. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  const re = /<<([\s\S]*?)>>\s*stream\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const length = Number(/\/Length (\d+)/.exec(m[1]!)?.[1]);
    const start = m.index + m[0].length;
    const raw = pdf.subarray(start, start + length);
    out.push((m[1]!.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('latin1'));
  }
  return out;
}

// pdfkit writes standard-font text as WinAnsi hex strings inside TJ arrays, split at kerning pairs.
const WIN_ANSI_EXTRAS: Record<number, string> = { 0x85: '…', 0x96: '–', 0x97: '—' };
function textLines(content: string): string[] {
  return [...content.matchAll(/\[((?:<[0-9a-f]*>|[-\d.\s])*)\] TJ/g)].map(([, arr]) =>
    [...arr!.matchAll(/<([0-9a-f]*)>/g)]
      .map(([, hex]) => [...Buffer.from(hex!, 'hex')].map((b) => WIN_ANSI_EXTRAS[b] ?? String.fromCharCode(b)).join(''))
      .join(''),
  );
}

interface Rect { x: number; y: number; w: number; h: number }
function rects(content: string): Rect[] {
  return [...content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)].map(([, x, y, w, h]) => ({
    x: Number(x), y: Number(y), w: Number(w), h: Number(h),
  }));
}

/** The QR's modules are the square rects of one size; rebuild the grid from their positions. */
function qrFromRects(all: Rect[]): { size: number; dark: Set<string>; count: number } {
  const squares = all.filter((r) => Math.abs(r.w - r.h) < 1e-6 && r.w < 5);
  const cell = squares[0]!.w;
  const qr = squares.filter((r) => Math.abs(r.w - cell) < 1e-6);
  // The top-left finder pattern guarantees module (0,0) is dark, so the minimum is the origin.
  const x0 = Math.min(...qr.map((r) => r.x));
  const y0 = Math.min(...qr.map((r) => r.y));
  const dark = new Set<string>();
  let size = 0;
  for (const r of qr) {
    const col = (r.x - x0) / cell;
    const row = (r.y - y0) / cell;
    expect(Math.abs(col - Math.round(col))).toBeLessThan(1e-3); // on the module grid
    expect(Math.abs(row - Math.round(row))).toBeLessThan(1e-3);
    dark.add(`${Math.round(col)},${Math.round(row)}`);
    size = Math.max(size, Math.round(col) + 1, Math.round(row) + 1);
  }
  return { size, dark, count: qr.length };
}

async function content(view: CardView = card): Promise<string> {
  const all = streams(await renderCardPdf(view, { compress: false }));
  const page = all.find((s) => s.includes(' Tf'));
  expect(page).toBeDefined();
  return page!;
}

describe('formatMonthId', () => {
  it('writes the month Indonesian-style', () => {
    expect(formatMonthId('2026-12')).toBe('Desember 2026');
    expect(formatMonthId('2027-01')).toBe('Januari 2027');
    expect(formatMonthId('2026-08')).toBe('Agustus 2026');
  });

  it('rejects non-months', () => {
    for (const bad of ['2026-13', '2026-1', '202612', '', 'Desember 2026']) {
      expect(() => formatMonthId(bad)).toThrow(RangeError);
    }
  });
});

describe('formatKpj', () => {
  it('groups digits in fours', () => {
    expect(formatKpj('24012345678')).toBe('2401 2345 678');
    expect(formatKpj('2401 2345678')).toBe('2401 2345 678');
    expect(formatKpj('12345678')).toBe('1234 5678');
  });
});

describe('renderCardPdf', () => {
  it('produces a one-page, ID-1-sized PDF', async () => {
    const pdf = await renderCardPdf(card);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/Count 1\b/);
    const [, w, h] = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)!;
    expect(Number(w)).toBeCloseTo(242.65, 1);
    expect(Number(h)).toBeCloseTo(153.07, 1);
    // pdfkit writes info values as indirect objects: /Author 10 0 R … 10 0 obj (Lindung) endobj
    const info = (key: string): string | undefined => {
      const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(text)?.[1];
      return new RegExp(`\\n${ref} 0 obj\\n\\((.*)\\)\\nendobj`).exec(text)?.[1];
    };
    expect(info('Author')).toBe('Lindung');
    expect(info('CreationDate')).toBe('D:20261122020000Z');
    expect(info('Title')).toContain('2401 2345 678');
  });

  it('draws the labels, KPJ, name and coverage as text', async () => {
    const lines = textLines(await content());
    for (const expected of [
      'Kartu Peserta BPJS Ketenagakerjaan — Bukan Penerima Upah',
      'Nomor KPJ', '2401 2345 678',
      'Nama', 'Siti Nurhaliza',
      'Program', 'JKK, JKM, JHT',
      'Masa perlindungan s.d.', 'Desember 2026',
      'Pindai untuk verifikasi',
      'AKTIF',
      'Kantor Cabang Jakarta Salemba',
      'Diterbitkan 22 November 2026',
    ]) {
      expect(lines).toContain(expected);
    }
  });

  it('compressed output carries the same drawing', async () => {
    const compressed = streams(await renderCardPdf(card)).find((s) => s.includes(' Tf'));
    expect(compressed).toBe(await content());
  });

  it('shortens names too long for the card instead of wrapping them', async () => {
    const long = 'Raden Mas Muhammad Rizky Pratama Saputra Wijayakusuma Hadiningrat';
    const lines = textLines(await content({ ...card, fullName: long }));
    const name = lines.find((l) => l.startsWith('Raden Mas'));
    expect(name).toMatch(/…$/);
    expect(long.startsWith(name!.slice(0, -1))).toBe(true);
    expect(lines.filter((l) => l.includes('Hadiningrat'))).toEqual([]);
  });

  it('shows the status in Indonesian', async () => {
    expect(textLines(await content({ ...card, status: 'arrears' }))).toContain('MENUNGGAK');
    expect(textLines(await content({ ...card, status: 'inactive' }))).toContain('TIDAK AKTIF');
  });

  it('is byte-for-byte deterministic for the same input', async () => {
    const a = await renderCardPdf(card);
    const b = await renderCardPdf({ ...card, issuedAt: new Date(card.issuedAt) });
    expect(a.equals(b)).toBe(true);
    const later = await renderCardPdf({ ...card, issuedAt: new Date('2026-11-23T02:00:00.000Z') });
    expect(a.equals(later)).toBe(false);
  });

  it('draws exactly the modules of qrMatrix(verifyUrl)', async () => {
    const matrix = qrMatrix(card.verifyUrl);
    const drawn = qrFromRects(rects(await content()));
    const expected = new Set<string>();
    for (let y = 0; y < matrix.size; y++) {
      for (let x = 0; x < matrix.size; x++) {
        if (matrix.isDark(x, y)) {
          expected.add(`${x},${y}`);
        }
      }
    }
    expect(drawn.count).toBe(expected.size); // one rect per dark module, none twice
    expect(drawn.size).toBe(matrix.size);
    expect(drawn.dark).toEqual(expected);
  });

  it('the drawn rectangles scan back to verifyUrl', async () => {
    // Rasterise just the QR rects ourselves (axis-aligned squares need no PDF renderer) and decode.
    const { size, dark } = qrFromRects(rects(await content()));
    const scale = 4;
    const quiet = 4;
    const side = (size + 2 * quiet) * scale;
    const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
    for (const key of dark) {
      const [col, row] = key.split(',').map(Number) as [number, number];
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const p = (((row + quiet) * scale + dy) * side + (col + quiet) * scale + dx) * 4;
          rgba[p] = rgba[p + 1] = rgba[p + 2] = 0;
        }
      }
    }
    expect(jsQR(rgba, side, side)?.data).toBe(card.verifyUrl);
  });
});
