import { describe, expect, it } from 'vitest';
import { activeMember } from '../support/factories.js';
import { newMobilePage, useBrowserSuite } from './support/browser.js';
import { look, signIn } from './support/member-pages.js';

/**
 * Insentif agen PERISAI (/agen/insentif) in Chromium at 360×800: an agent with November's statement (25 new with JHT
 * and 15% of their contributions) sees each line in words, the total and the pay-by date; axe 0, no horizontal
 * scroll; screenshot 50-agen-insentif (not committed) — also once the agent app's service worker controls /agen/ (it must
 * not answer /agen/insentif with its cached shell). A member who is not an agent is told so (403).
 */
const suite = useBrowserSuite();

describe('Insentif agen in Chromium', { timeout: 180_000 }, () => {
  it('an agent reads the month’s statement; a member who is not an agent is refused', async () => {
    const server = suite.server;
    const agent = await activeMember(server);
    const other = await activeMember(server);
    const participant = await server.db.selectFrom('participant').select('id').where('kpj', '=', agent.kpj).executeTakeFirstOrThrow();
    const now = server.clock.now();
    await server.db.insertInto('kantor_perisai').values({ code: 'KP-LAYAR', name: 'Kantor Perisai Layar', branch_code: 'JKT-SALEMBA', created_at: now }).execute();
    await server.db.insertInto('agent').values({ participant_id: participant.id, agent_code: 'AG920001', kantor_code: 'KP-LAYAR', branch_code: 'JKT-SALEMBA', cash_limit: 5_000_000, status: 'active', started_at: now }).execute();
    const lines = [
      { kind: 'acquisition_jht', count: 25, unit: 15_000, base: null, bps: null, tier: null, amount: 375_000 },
      { kind: 'contribution_tier', count: 25, unit: null, base: 920_000, bps: 1_500, tier: '1-24', amount: 138_000 },
    ];
    await server.db
      .insertInto('agent_incentive_statement')
      .values({ id: 'agent:AG920001:2026-10', month: '2026-10', holder_kind: 'agent', holder_code: 'AG920001', kantor_code: 'KP-LAYAR', agent_id: participant.id, lines: JSON.stringify(lines), new_count: 25, total: 513_000, pay_by: '2026-11-05', status: 'due', created_at: now })
      .execute();
    server.clock.advance(61_000); // past the sign-in code's resend wait (activeMember signed in through the API)

    const { context, page } = await newMobilePage(suite.browser, { baseURL: server.origin });
    try {
      await signIn(server, page, agent.person.phone);
      // The agent app installed its service worker (scope /agen/): a server page under that scope still comes from
      // the server, not the app's cached shell.
      await page.goto(server.url('/agen/'));
      await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(server.url('/agen/sw.js'));
      await page.goto(server.url('/agen/insentif'));
      const main = await page.locator('main').innerText();
      expect(main).toContain('Insentif agen PERISAI');
      expect(main).toContain('AG920001');
      expect(main).toContain('Akuisisi 3 program (JKK, JKM, JHT): 25 × Rp15.000');
      expect(main).toContain('15% dari iuran diterima Rp920.000 (bulan kepesertaan 1–24)');
      expect(main).toContain('Rp513.000');
      expect(main).toContain('Peserta baru (belum pernah terdaftar BPU): 25');
      await look(page, '50-agen-insentif');
    } finally {
      await context.close();
    }
    server.clock.advance(61_000); // past the sign-in code's resend wait
    const second = await newMobilePage(suite.browser, { baseURL: server.origin });
    try {
      await signIn(server, second.page, other.person.phone);
      const res = await second.page.goto(server.url('/agen/insentif'));
      expect(res?.status()).toBe(403);
      expect(await second.page.locator('main').innerText()).toContain('Akun Anda bukan agen');
    } finally {
      await second.context.close();
    }
  });
});
