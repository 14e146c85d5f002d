import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePerson } from '../support/factories.js';
import { expectNoAxeViolations, newMobilePage, screenshot, useBrowserSuite } from './support/browser.js';
import { fillRegistrationSteps } from './support/member-pages.js';

/**
 * Formulir 1A in a real browser (issue 16 item 3): a worker fills registration steps 1 and 2 on the web, then on the
 * verification step clicks "Cetak Formulir 1A untuk dibawa ke kantor/SPO"; the PDF downloads, its text carries the
 * form code and the data, it renders with pdftoppm, and the counter's look-up finds the draft by the printed code.
 */
const suite = useBrowserSuite({ start: '2026-12-07T01:00:00.000Z' });

describe('Formulir 1A from the registration steps', () => {
  it('downloads, reads and renders; the counter finds the draft by its code', async () => {
    const { server, browser } = suite;
    const person = makePerson({ address: 'Jl. Anggrek No. 3, Bandung' });
    await server.post('/dev/population', { nik: person.nik, fullName: person.fullName, birthDate: person.birthDate, gender: person.gender });
    const { context, page } = await newMobilePage(browser, { acceptDownloads: true });
    try {
      await fillRegistrationSteps(page, server, person, 'BDG-SUCI');
      await expectNoAxeViolations(page);
      await screenshot(page, '05b-daftar-formulir-1a');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Cetak Formulir 1A untuk dibawa ke kantor/SPO' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^formulir-1a-[0-9A-HJKMNP-TV-Z]{8}\.pdf$/);
      const code = download.suggestedFilename().slice('formulir-1a-'.length, -'.pdf'.length);
      const dir = mkdtempSync(join(tmpdir(), 'formulir-1a-browser-'));
      const file = join(dir, 'formulir-1a.pdf');
      await download.saveAs(file);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(`${code.slice(0, 4)}-${code.slice(4)}`);
      expect(text).toContain('FORMULIR 1A');
      expect(text).toContain(person.fullName);
      expect(text).toContain('Jl. Anggrek No. 3, Bandung');
      expect(text).not.toContain(person.nik);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, join(dir, 'page')]);
      const png = readFileSync(join(dir, 'page.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // A4 at 60 dpi: 8.27 × 11.69 in ≈ 496 × 702 pixels (poppler rounds up).
      expect([png.readUInt32BE(16), png.readUInt32BE(20)].map((px) => Math.round(px / 10))).toEqual([50, 70]);
      expect(statSync(join(dir, 'page.png')).size).toBeGreaterThan(10_000);

      // The same browser prints it again from /daftar/formulir-1a.pdf (its registration cookie): the same code.
      const again = await page.request.get(server.url('/daftar/formulir-1a.pdf'));
      expect(again.status()).toBe(200);
      expect(again.headers()['content-disposition']).toContain(`formulir-1a-${code}.pdf`);

      // The counter types the printed code (loosely) and gets the draft, the NIK masked.
      expect((await server.post('/dev/staff', { username: 'loket-f1a', password: 'kata-sandi-staf-123', roles: ['counter'], branchCode: 'BDG-SUCI' })).status).toBe(201);
      const session = await server.post('/api/v1/staff/sessions', { username: 'loket-f1a', password: 'kata-sandi-staf-123' });
      const found = await server.get(`/api/v1/staff/registration-drafts/${code.toLowerCase()}`, { authorization: `Bearer ${session.body.token as string}` });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ formCode: code, fullName: person.fullName, nik: `************${person.nik.slice(-4)}`, branchCode: 'BDG-SUCI' });
    } finally {
      await context.close();
    }
  });
});
