import { sql } from 'kysely';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeMember, makePerson, type Person } from '../support/factories.js';
import { expectNoAxeViolations, newMobilePage, screenshot, useBrowserSuite, type PortalServer } from './support/browser.js';

/**
 * The PERISAI agent's offline app (/agen/) in Debian's Chromium at 360×800 (issue 17 item 5): an admin makes the agent,
 * the agent signs in online (the signed master data is fetched and verified), the network is cut with CDP
 * (Network.emulateNetworkConditions offline), three workers are enrolled and their cash collected (records
 * "Sementara"), the page is reloaded offline (the service worker serves the shell), the network comes back → the
 * outbox replays → all accepted with KPJs; a forced second replay of the same commands changes nothing in the
 * database (3 participants, 3 payments, 3 receipts).
 */
const suite = useBrowserSuite();
const STAFF = () => ({ authorization: `Bearer ${suite.server.config.staffApiKey}` });

async function latestOtp(server: PortalServer, phone: string): Promise<string> {
  const res = await server.get(`/dev/outbox?to=${encodeURIComponent(phone)}`);
  const m = (res.body.messages as { data: Record<string, string> }[]).find((x) => x.data['otp']);
  if (!m) throw new Error(`no OTP for ${phone}`);
  return m.data['otp'] as string;
}

async function setOffline(cdp: CDPSession, offline: boolean) {
  await cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
}

async function count(server: PortalServer, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(server.db);
  return Number(r.rows[0]?.n ?? 0);
}

async function signIn(page: Page, server: PortalServer, phone: string) {
  server.clock.advance(61_000); // past the OTP cooldown of the member's own sign-in in activeMember
  await page.goto(server.url('/agen/'));
  await page.getByLabel('Nomor HP', { exact: true }).fill(phone);
  await page.getByRole('button', { name: 'Kirim kode' }).click();
  await expect.poll(() => page.locator('#pesan').textContent()).toBe('Kode dikirim lewat SMS.');
  await page.getByLabel('Kode dari SMS').fill(await latestOtp(server, phone));
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect.poll(() => page.locator('#v-beranda').isVisible()).toBe(true);
  await expect.poll(() => page.locator('#data-induk').textContent()).toMatch(/^versi [0-9a-f]{16}/);
}

/** Switches the app's view as its menu does (the hash). */
async function show(page: Page, view: string) {
  await page.evaluate((v) => {
    location.hash = `#${v}`;
  }, view);
  await expect.poll(() => page.locator(`#v-${view}`).isVisible()).toBe(true);
}

async function enrol(page: Page, worker: Person) {
  await show(page, 'daftar');
  await page.getByLabel('NIK (16 angka, dari KTP)').fill(worker.nik);
  await page.getByLabel('Nama lengkap (sesuai KTP)').fill(worker.fullName);
  await page.getByLabel('Tanggal lahir').fill(worker.birthDate);
  await page.getByLabel(worker.gender === 'M' ? 'Laki-laki' : 'Perempuan').check();
  await page.getByLabel('Nomor HP pekerja (untuk SMS)').fill(worker.phone);
  await page.getByLabel('Alamat', { exact: true }).fill(worker.address);
  await page.getByLabel('Pekerjaan', { exact: true }).selectOption(worker.occupationCode);
  await page.getByLabel('Penghasilan sebulan (Rp)').fill('1500000');
  await expect.poll(() => page.locator('#d-iuran').textContent()).toMatch(/Iuran: Rp[\d.]+ \(1 bulan\)/);
  await page.getByRole('button', { name: 'Simpan pendaftaran' }).click();
  await expect.poll(() => page.locator('#pesan').textContent()).toContain(`${worker.fullName}: tersimpan di HP (Sementara)`);
}

async function collect(page: Page, worker: Person) {
  await show(page, 'iuran');
  const value = await page.locator('#i-siapa option', { hasText: worker.fullName }).getAttribute('value');
  await page.getByLabel('Pekerja yang didaftarkan di HP ini').selectOption(value ?? '');
  await expect.poll(() => page.getByLabel('Jumlah uang diterima (Rp)').inputValue()).toMatch(/^\d+$/);
  await page.getByRole('button', { name: 'Simpan penerimaan' }).click();
  await expect.poll(() => page.locator('#pesan').textContent()).toContain('tersimpan di HP (Sementara)');
}

function kpjOf(text: string | null): string {
  const m = /KPJ: (\d+)/.exec(text ?? '');
  if (!m?.[1]) throw new Error(`no KPJ in ${text}`);
  return m[1];
}

describe('agent app offline journey', () => {
  it('enrols 3 workers and collects their cash offline; the replay is accepted exactly once, also when sent twice', async () => {
    const { server, browser } = suite;
    const agent = await activeMember(server);
    expect((await server.post('/api/v1/staff/kantor-perisai', { code: 'KP-BKS-01', name: 'Kantor Perisai Bekasi Satu', branchCode: 'JKT-SALEMBA' }, STAFF())).status).toBe(201);
    const made = await server.post('/api/v1/staff/agents', { kpj: agent.kpj, kantorCode: 'KP-BKS-01' }, STAFF());
    expect(made.status, JSON.stringify(made.body)).toBe(201);

    const workers = [0, 1, 2].map((i) => makePerson({ fullName: ['Andi Wijaya', 'Sri Lestari', 'Joko Susilo'][i] as string, email: '' }));
    for (const w of workers) await server.post('/dev/population', { nik: w.nik, fullName: w.fullName, birthDate: w.birthDate, gender: w.gender });

    const { context, page } = await newMobilePage(browser, { baseURL: server.origin });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, server, agent.person.phone);
      await expectNoAxeViolations(page);
      await screenshot(page, 'agen-01-beranda');
      await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);
      // Installable: a manifest scoped to the app, with the portal's icons.
      const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')?.href ?? '')).json());
      expect(manifest).toMatchObject({ start_url: '/agen/', scope: '/agen/', display: 'standalone', icons: expect.arrayContaining([expect.objectContaining({ sizes: '512x512' })]) });
      const before = { participants: await count(server, 'participant'), payments: await count(server, 'payment') };

      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await setOffline(cdp, true);
      await expect.poll(() => page.locator('#jaringan').textContent()).toContain('Luring');
      for (const w of workers) await enrol(page, w);
      await expectNoAxeViolations(page);
      await screenshot(page, 'agen-02-daftar');
      for (const w of workers) await collect(page, w);
      await show(page, 'catatan');
      await expect.poll(() => page.locator('#daftar-catatan > li[data-status=pending]').count()).toBe(6);
      expect(await page.getByText('Sementara — belum terkirim').first().isVisible()).toBe(true);
      await screenshot(page, 'agen-03-catatan-sementara');

      // A reload with no network: the service worker serves the shell, IndexedDB still holds the outbox.
      await page.reload();
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(server.url('/agen/sw.js'));
      await show(page, 'catatan');
      await expect.poll(() => page.locator('#daftar-catatan > li[data-status=pending]').count()).toBe(6);
      expect(await count(server, 'participant')).toBe(before.participants);

      await setOffline(cdp, false);
      await expect.poll(() => page.locator('#daftar-catatan > li[data-status=accepted]').count(), { timeout: 20_000 }).toBe(6);
      for (const w of workers) {
        expect(await page.locator('#daftar-catatan > li', { hasText: `Iuran: ${w.fullName}` }).textContent()).toMatch(/KPJ: \d+/);
      }
      await expectNoAxeViolations(page);
      await screenshot(page, 'agen-04-catatan-diterima');

      // The same commands once more, as a phone that lost the answers would send them: the stored answers come back.
      const first = await page.evaluate(() => (window as unknown as { agenApp: { allCommands(): Promise<{ id: string; result: unknown }[]> } }).agenApp.allCommands());
      await page.evaluate(async (ids) => {
        await (window as unknown as { agenApp: { replay(o: { ids: string[] }): Promise<void> } }).agenApp.replay({ ids });
      }, first.map((c) => c.id));
      const second = await page.evaluate(() => (window as unknown as { agenApp: { allCommands(): Promise<{ id: string; result: unknown; status: string }[]> } }).agenApp.allCommands());
      expect(second.map((c) => [c.id, c.status, c.result])).toEqual(first.map((c) => [c.id, 'accepted', c.result]));
      expect(await count(server, 'participant')).toBe(before.participants + 3);
      expect(await count(server, 'payment')).toBe(before.payments + 3);
      expect(await count(server, 'agent_collection')).toBe(3);

      // A collection the server rejects (the amount is not the bill's) shows why; fixed, it goes as a NEW command.
      await show(page, 'iuran');
      await page.getByLabel('Atau nomor KPJ peserta').fill(kpjOf(await page.locator('#daftar-catatan > li', { hasText: 'Iuran: Andi Wijaya' }).textContent()));
      await page.getByLabel('Jumlah uang diterima (Rp)').fill('1000');
      await page.getByRole('button', { name: 'Simpan penerimaan' }).click();
      await show(page, 'catatan');
      const rejected = page.locator('#daftar-catatan > li[data-status=rejected]');
      await expect.poll(() => rejected.count(), { timeout: 20_000 }).toBe(1);
      expect(await rejected.textContent()).toContain('Jumlah uang tidak sama dengan tagihan.');
      await expectNoAxeViolations(page);
      await screenshot(page, 'agen-05-ditolak');
      await rejected.getByRole('button', { name: 'Perbaiki dan kirim ulang' }).click();
      await expect.poll(() => page.locator('#v-iuran').isVisible()).toBe(true);
      await page.getByLabel('Jumlah uang diterima (Rp)').fill('10900');
      await page.getByRole('button', { name: 'Simpan penerimaan' }).click();
      await show(page, 'catatan');
      await expect.poll(() => page.locator('#daftar-catatan > li[data-status=accepted]').count(), { timeout: 20_000 }).toBe(7);
      expect(await rejected.textContent()).toContain('Sudah diperbaiki');
      const all = await page.evaluate(() => (window as unknown as { agenApp: { allCommands(): Promise<{ id: string }[]> } }).agenApp.allCommands());
      expect(new Set(all.map((c) => c.id)).size).toBe(8);
      await show(page, 'beranda');
      expect(await page.locator('#kode-agen').textContent()).toMatch(/^AG\d{6} · KP-BKS-01$/);
      expect(await page.locator('#n-ditolak').textContent()).toBe('0');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('refuses a master-data snapshot whose figures were changed on the way, and a member who is not an agent', async () => {
    const { server, browser } = suite;
    const agent = await activeMember(server);
    // Without the service worker, so that the altered answer reaches the page (Playwright's routes do not see a worker's fetches).
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin, serviceWorkers: 'block' });
    try {
      await page.route('**/api/v1/agent/master-data', async (route) => {
        const snap = (await server.get('/api/v1/agent/master-data')).body as { data: { rates: { prepaymentOptions: number[] } } };
        snap.data.rates.prepaymentOptions = [1, 2];
        await route.fulfill({ json: snap });
      });
      server.clock.advance(61_000);
      await page.goto(server.url('/agen/'));
      await expect.poll(() => page.locator('#pesan').textContent()).toContain('tanda tangannya tidak cocok');
      expect(await page.locator('#data-induk').textContent()).toBe('Belum ada');
      // A member who is not an agent is turned away at sign-in.
      await page.getByLabel('Nomor HP', { exact: true }).fill(agent.person.phone);
      await page.getByRole('button', { name: 'Kirim kode' }).click();
      await expect.poll(() => page.locator('#pesan').textContent()).toBe('Kode dikirim lewat SMS.');
      await page.getByLabel('Kode dari SMS').fill(await latestOtp(server, agent.person.phone));
      await page.getByRole('button', { name: 'Masuk' }).click();
      await expect.poll(() => page.locator('#pesan').textContent()).toContain('tidak berwenang');
      expect(await page.locator('#v-masuk').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
