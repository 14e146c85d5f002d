/**
 * Writes the web app manifest's PNG icons (src/web/assets/icon-192.png, icon-512.png): a green rounded square with a
 * white shield, the same drawing as icon.svg. Run once when the icon changes: `npx tsx scripts/make-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// pngjs ships no typings; type the two calls used here.
interface Png {
  data: Buffer;
}
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { new (o: { width: number; height: number }): Png; sync: { write(png: Png): Buffer } } };

function inShield(x: number, y: number): boolean {
  // Shield in a 64-unit box: flat top from y=10..30 between x=14..50, then a curve meeting at (32, 54).
  if (y < 10 || y > 54) return false;
  const half = y <= 30 ? 18 : 18 * Math.sqrt(Math.max(0, 1 - ((y - 30) / 24) ** 2));
  return Math.abs(x - 32) <= half;
}

function draw(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const k = 64 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) * k;
      const y = (py + 0.5) * k;
      const i = (py * size + px) * 4;
      const white = inShield(x, y);
      png.data[i] = white ? 255 : 0x00;
      png.data[i + 1] = white ? 255 : 0x69;
      png.data[i + 2] = white ? 255 : 0x3e;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

for (const size of [192, 512]) {
  writeFileSync(new URL(`../src/web/assets/icon-${size}.png`, import.meta.url), draw(size));
}
