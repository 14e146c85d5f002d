import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { useBrowserSuite } from './support/browser.js';
import { lookAtStaffPage as look, STAFF_DESKTOP as DESKTOP } from './support/staff-page.js';

/**
 * The console's pages for issue 17's channels in a real browser at 1280×800 (and the tablet width), JavaScript off:
 * an administrator adds a partner (its secret shown once), issues and revokes a client, adds a Kantor Perisai and
 * appoints an agent by KPJ; one finance officer records a deposit and approves the agent's statement, is refused
 * recording its payment (four eyes), a second finance officer records it; the administrator ends the agent.
 * axe 0 and the width checks on each page; screenshots into docs/screenshots/staff/ (not committed).
 */
const suite = useBrowserSuite();
const PASSWORD = 'kata-sandi-staf-123';

async function staffPage(browser: Browser, url: (p: string) => string, username: string, path: string) {
  const context = await browser.newContext({ viewport: { ...DESKTOP }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url(path));
  await page.waitForURL('**/staff/masuk?lanjut=*');
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`**${path}`);
  return { context, page };
}

describe('console pages for partners and PERISAI agents (browser)', { timeout: 240_000 }, () => {
  it('admin manages partners and agents; two finance officers handle cash and a statement, four eyes', async () => {
    const { server, browser } = suite;
    for (const [username, roles] of [['admin-kanal', ['admin']], ['keu-kanal-1', ['finance']], ['keu-kanal-2', ['finance']]] as const) {
      expect((await server.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
    }
    const member = await activeMember(server);
    const url = (p: string) => server.url(p);

    const admin = await staffPage(browser, url, 'admin-kanal', '/staff/mitra');
    const page = admin.page;
    try {
      await look(page, 'staff-mitra-01-daftar');
      await page.getByLabel('Nama mitra').fill('PT Ojol Sejahtera');
      await page.getByLabel('Pendanaan').selectOption('partner');
      await page.getByRole('button', { name: 'Tambah mitra' }).click();
      await page.waitForURL('**/staff/mitra/*');
      const flash = (await page.getByRole('status').textContent()) ?? '';
      expect(flash).toContain('Mitra PT Ojol Sejahtera ditambahkan.');
      const secret = /rahasia: (\S+) —/.exec(flash)?.[1] ?? '';
      expect(secret.length).toBeGreaterThan(20);
      await look(page, 'staff-mitra-02-rahasia-sekali');
      await page.reload();
      expect(await page.locator('main').innerText()).not.toContain(secret);
      const audit = await server.db.selectFrom('staff_audit').selectAll().execute();
      expect(JSON.stringify(audit)).not.toContain(secret);

      await page.getByRole('button', { name: 'Terbitkan klien' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('rahasia');
      const revoke = page.getByRole('button', { name: /^Cabut klien / }).first();
      await revoke.click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('dicabut');
      await expect.poll(() => page.locator('main').innerText()).toContain('Dicabut');
      await look(page, 'staff-mitra-03-klien');

      await page.goto(url('/staff/agen'));
      await page.getByLabel('Kode kantor').fill('KP-KANAL-01');
      await page.getByLabel('Nama kantor').fill('Kantor Perisai Kanal');
      await page.getByLabel('Cabang').selectOption('JKT-SALEMBA');
      await page.getByRole('button', { name: 'Tambah kantor' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Kantor Perisai KP-KANAL-01 ditambahkan.');
      await page.getByLabel('KPJ peserta').fill(member.kpj);
      await page.getByLabel('Kantor Perisai', { exact: true }).selectOption('KP-KANAL-01');
      await page.getByRole('button', { name: 'Tunjuk agen' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('ditunjuk');
      await look(page, 'staff-agen-01-daftar');
    } finally {
      await admin.context.close();
    }

    const agent = await server.db.selectFrom('agent as a').innerJoin('participant as p', 'p.id', 'a.participant_id').select(['a.agent_code', 'a.participant_id']).where('p.kpj', '=', member.kpj).executeTakeFirstOrThrow();
    const code = agent.agent_code;
    const now = server.clock.now();
    const lines = [{ kind: 'acquisition_jht', count: 2, unit: 15_000, base: null, bps: null, tier: null, amount: 30_000 }];
    const statementId = `agent:${code}:2026-10`;
    await server.db
      .insertInto('agent_incentive_statement')
      .values({ id: statementId, month: '2026-10', holder_kind: 'agent', holder_code: code, kantor_code: 'KP-KANAL-01', agent_id: agent.participant_id, lines: JSON.stringify(lines), new_count: 2, total: 30_000, pay_by: '2026-11-05', status: 'due', created_at: now })
      .execute();
    const financePath = `/staff/agen/keuangan?agen=${code}&bulan=2026-10`;

    const first = await staffPage(browser, url, 'keu-kanal-1', '/staff/agen/keuangan');
    try {
      const p = first.page;
      await p.goto(url(financePath));
      await p.getByLabel('Jumlah (Rp)').fill('150.000');
      await p.getByLabel('Referensi bank').fill('TRF-0001');
      await p.getByLabel('Tanggal setor').fill(now.toISOString().slice(0, 10));
      await p.getByRole('button', { name: 'Catat setoran' }).click();
      await expect.poll(() => p.getByRole('status').textContent()).toContain(`untuk agen ${code} dicatat`);
      await p.getByRole('button', { name: `Setujui ${statementId}` }).click();
      await expect.poll(() => p.getByRole('status').textContent()).toContain('disetujui');
      expect(await p.locator('main').innerText()).toContain('Anda yang menyetujui');
      await look(p, 'staff-agen-keuangan-01-disetujui');
      await p.getByLabel('Referensi bank').last().fill('TRF-INS-01');
      await p.getByRole('button', { name: 'Catat dibayar' }).click();
      await expect.poll(() => p.locator('main').innerText()).toContain('Petugas yang menyetujui insentif tidak boleh mencatat pembayarannya.');
      await look(p, 'staff-agen-keuangan-02-empat-mata');
      expect((await server.db.selectFrom('agent_deposit').select('id').execute()).length).toBe(1);
      // The agent list is open to finance (read only: no admin forms).
      await p.goto(url('/staff/agen'));
      expect(await p.locator('main').innerText()).not.toContain('Tunjuk agen');
      await look(p, 'staff-agen-02-keuangan');
    } finally {
      await first.context.close();
    }

    const second = await staffPage(browser, url, 'keu-kanal-2', '/staff/agen/keuangan');
    try {
      const p = second.page;
      await p.goto(url(financePath));
      await p.getByLabel('Referensi bank').last().fill('TRF-INS-01');
      await p.getByRole('button', { name: 'Catat dibayar' }).click();
      await expect.poll(() => p.getByRole('status').textContent()).toContain(`Pernyataan ${statementId} dicatat dibayar.`);
      await look(p, 'staff-agen-keuangan-03-dibayar');
      expect((await p.goto(url('/staff/mitra')))?.status()).toBe(403);
    } finally {
      await second.context.close();
    }
  });
});
