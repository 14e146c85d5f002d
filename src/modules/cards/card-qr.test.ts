import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import jsqrModule from 'jsqr';
import { qrMatrix, qrPng, qrSvg } from './card-qr.js';

// jsqr is CommonJS with typings written as an ES default export: under NodeNext the default import is
// module.exports, and the decoder is its `default` property (set by the package at runtime too).
const jsQR = jsqrModule.default;

// pngjs ships no typings (and @types/pngjs is not a dependency); type the one call we use.
interface DecodedPng { width: number; height: number; data: Buffer }
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(png: Buffer): DecodedPng } } };

const url = 'https://lindung.id/v/eyJ2IjoxLCJrcGoiOiIyNDAxMjM0NTY3OCJ9.mdj2WuxOWoa62fH0oCgxfT3jMKb3plcsYYlJmSnBB1-MulYUVHcJKns3fRs99L9UaiHWDiFXxx6QuJT22WNYDw';

describe('card QR', () => {
  it('qrPng decodes back to the exact text', async () => {
    const png = PNG.sync.read(await qrPng(url));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(url);
  });

  it('qrSvg is an SVG document', async () => {
    const svg = await qrSvg(url);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd()).toMatch(/<\/svg>$/);
  });

  it('qrMatrix has finder patterns in three corners and is dark-false outside', () => {
    const m = qrMatrix(url);
    expect((m.size - 17) % 4).toBe(0); // sizes are 21, 25, … (version * 4 + 17)
    for (const [x0, y0] of [[0, 0], [m.size - 7, 0], [0, m.size - 7]] as const) {
      // 7×7 finder: dark border ring, light ring, dark 3×3 centre.
      for (let d = 0; d < 7; d++) {
        expect(m.isDark(x0 + d, y0)).toBe(true);
        expect(m.isDark(x0 + d, y0 + 6)).toBe(true);
      }
      expect(m.isDark(x0 + 1, y0 + 1)).toBe(false);
      expect(m.isDark(x0 + 3, y0 + 3)).toBe(true);
    }
    for (const [x, y] of [[-1, 0], [0, -1], [m.size, 0], [0, m.size], [0.5, 0]] as const) {
      expect(m.isDark(x, y)).toBe(false);
    }
  });

  it('qrMatrix matches the PNG module grid', async () => {
    // qrPng uses margin 4 and scale 4: sample the centre of each module.
    const m = qrMatrix(url);
    const png = PNG.sync.read(await qrPng(url));
    expect(png.width).toBe((m.size + 8) * 4);
    for (let y = 0; y < m.size; y++) {
      for (let x = 0; x < m.size; x++) {
        const px = ((y + 4) * 4 + 2) * png.width + (x + 4) * 4 + 2;
        expect(png.data[px * 4]! < 128, `module ${x},${y}`).toBe(m.isDark(x, y));
      }
    }
  });
});
