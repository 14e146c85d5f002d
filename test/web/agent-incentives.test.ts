import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { activeMember, latestData } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** /agen/insentif without a browser: the statement's lines in words; not an agent → 403; signed out → /masuk. */
let t: TestApp;
const logs: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ logger: createLogger('error', (line) => logs.push(line)) });
});
afterAll(async () => t.close());

async function signedInClient(phone: string) {
  const client = portalClient(t);
  t.clock.advance(61_000);
  expect((await client.submit('/masuk', '/masuk', { phone }, { follow: false })).status).toBe(303);
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, phone, 'otp') }, { follow: false });
  expect(done.status, textOf(done.html)).toBe(303);
  return client;
}

describe('/agen/insentif', () => {
  it('shows the agent’s statement; refuses a member who is not an agent; sends the signed-out to /masuk', async () => {
    const agent = await activeMember(t);
    const other = await activeMember(t);
    const participant = await t.db.selectFrom('participant').select('id').where('kpj', '=', agent.kpj).executeTakeFirstOrThrow();
    const now = t.clock.now();
    await t.db.insertInto('kantor_perisai').values({ code: 'KP-WEB', name: 'Kantor Perisai Web', branch_code: 'JKT-SALEMBA', created_at: now }).execute();
    await t.db.insertInto('agent').values({ participant_id: participant.id, agent_code: 'AG930001', kantor_code: 'KP-WEB', branch_code: 'JKT-SALEMBA', cash_limit: 5_000_000, status: 'active', started_at: now }).execute();
    const lines = [{ kind: 'acquisition_jkk_jkm', count: 30, unit: 10_000, base: null, bps: null, tier: null, amount: 300_000 }];
    await t.db
      .insertInto('agent_incentive_statement')
      .values({ id: 'agent:AG930001:2026-10', month: '2026-10', holder_kind: 'agent', holder_code: 'AG930001', kantor_code: 'KP-WEB', agent_id: participant.id, lines: JSON.stringify(lines), new_count: 30, total: 300_000, pay_by: '2026-11-05', status: 'paid', approved_by: 'a', approved_at: now, paid_by: 'b', paid_at: now, payment_reference: 'TRF-1', created_at: now })
      .execute();

    expect((await portalClient(t).open('/agen/insentif')).html, logs.join('\n')).toContain('Nomor HP');
    const page = await (await signedInClient(agent.person.phone)).open('/agen/insentif');
    expect(page.status, `${textOf(page.html)} ${logs.join('\n')}`).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Akuisisi JKK dan JKM: 30 × Rp10.000');
    expect(text).toContain('Rp300.000');
    expect(text).toContain('Dibayar');
    const refused = await (await signedInClient(other.person.phone)).open('/agen/insentif');
    expect(refused.status).toBe(403);
    expect(textOf(refused.html)).toContain('Akun Anda bukan agen');
  });
});
