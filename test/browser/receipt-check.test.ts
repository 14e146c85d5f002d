import { describe, expect, it } from 'vitest';
import { AGENT_ADMIN, enrolCommands, newAgent } from '../support/agents.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look } from './support/member-pages.js';

/**
 * The public receipt check /kuitansi in Chromium at 360×800, JavaScript off: a worker types the receipt number and the
 * check code from the PERISAI agent's SMS and sees the receipt is valid (amount, months, the KPJ's last 4 digits); a
 * wrong code says so. axe 0; screenshots 30-kuitansi* (docs/screenshots/, not committed).
 */
const suite = useBrowserSuite();

describe('receipt check (browser)', { timeout: 180_000 }, () => {
  it('a worker checks an agent receipt with the SMS code', async () => {
    const { server, browser } = suite;
    expect((await server.post('/api/v1/staff/kantor-perisai', { code: 'KP-BROWSER', name: 'Kantor Perisai Uji', branchCode: 'JKT-SALEMBA' }, AGENT_ADMIN)).status).toBe(201);
    const agent = await newAgent(server, 'KP-BROWSER');
    const { worker, commands } = await enrolCommands(server);
    const res = await server.post('/api/v1/agent/commands', { commands }, agent.auth);
    const receiptNo = res.body.results[1].result.receiptNo as string;
    const sms = (await server.get(`/dev/outbox?to=${encodeURIComponent(worker.phone)}`)).body.messages as { body: string; data: Record<string, string> }[];
    const code = sms.find((m) => m.body.includes(receiptNo))?.data['checkCode'] as string;
    const { context, page } = await newMobilePage(browser, { baseURL: server.origin, javaScriptEnabled: false });
    try {
      await page.goto('/kuitansi');
      await look(page, '30-kuitansi');
      await page.getByLabel('Nomor kuitansi').fill(receiptNo);
      await page.getByLabel('Kode cek (6 karakter)').fill(code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
      await page.getByRole('button', { name: 'Cek kuitansi' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('kode cek salah');
      await page.getByLabel('Kode cek (6 karakter)').fill(code);
      await page.getByRole('button', { name: 'Cek kuitansi' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Kuitansi sah');
      expect(await page.content()).toContain('Rp8.400');
      await look(page, '30-kuitansi-sah');
    } finally {
      await context.close();
    }
  });
});
