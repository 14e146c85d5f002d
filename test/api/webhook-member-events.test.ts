import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deliverDueMessages } from '../../src/modules/notifications/deliver-outbox.js';
import { setFunding } from '../../src/modules/membership/index.js';
import { makePerson, payBill, registerVerified } from '../support/factories.js';
import { serveDuringSuite } from '../support/local-http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 17 item 2: a partner-paid member (registration.funding 'partner', payer_id naming the partner) becoming active
 * (first settlement) and then changing status (the daily status job) reaches the partner's endpoint as
 * `member.activated` and `member.status_changed`, signed; a self-paid member's changes reach nobody.
 */
const received: { headers: Record<string, string>; body: string }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
});
const http = serveDuringSuite(receiver);

let t: TestApp;
let secret = '';
let PARTNER = '';

function verified(r: { headers: Record<string, string>; body: string }): any {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000);
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    vi.useRealTimers();
  }
}

/** Registers, submits and pays a first bill; `payer` makes the registration partner-paid first. */
async function member(payer: string | null) {
  const person = makePerson();
  const registrationId = await registerVerified(t, person);
  const submit = await t.post(`/api/v1/registrations/${registrationId}/submit`, { programs: ['JKK', 'JKM'], declaredIncome: 1_000_000, months: 1 });
  expect(submit.status, JSON.stringify(submit.body)).toBe(201);
  if (payer) {
    // What an enrolment by the partner records (helper funding / partners): who pays.
    await t.db.updateTable('registration').set({ funding: 'partner', payer_id: payer }).where('id', '=', registrationId).execute();
  }
  expect((await payBill(t, submit.body.bill)).body).toEqual({ status: 'applied' });
  const p = await t.db.selectFrom('participant').select(['id', 'kpj']).where('registration_id', '=', registrationId).executeTakeFirstOrThrow();
  return p;
}

beforeAll(async () => {
  t = await createTestApp();
  // A partner (POST /dev/partners), its token (OAuth2 client credentials), its endpoint (PUT /partner/webhook).
  const made = await t.post('/dev/partners', { name: 'Koperasi Ojek Sejahtera', funding: 'partner' });
  PARTNER = made.body.partnerId as string;
  const basic = Buffer.from(`${made.body.clientId}:${made.body.clientSecret}`).toString('base64');
  const token = await t.app.request('/api/v1/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
  const auth = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
  const put = await t.request('PUT', '/api/v1/partner/webhook', { url: `${http.url()}/hooks` }, auth);
  expect(put.status).toBe(200);
  secret = put.body.secret as string;
});
afterAll(async () => t.close());

describe('member events to the paying partner', () => {
  let partnerPaid: { id: string; kpj: string };
  let selfPaid: { id: string; kpj: string };

  it('member.activated: queued when the card message of the first settlement is claimed, sent by /dev/jobs/run', async () => {
    partnerPaid = await member(PARTNER);
    selfPaid = await member(null);
    while ((await deliverDueMessages(t.deps, { email: null, sms: null })) > 0);
    const rows = await t.db.selectFrom('webhook_delivery').selectAll().execute();
    expect(rows.map((r) => [r.participant_id, r.event_type])).toEqual([[partnerPaid.id, 'member.activated']]);
    expect((await t.post('/dev/jobs/run')).body.webhooks).toBe(1);
    expect(received).toHaveLength(1);
    const event = verified(received[0]!);
    expect(event).toEqual({ type: 'member.activated', timestamp: expect.any(String), data: { kpj: partnerPaid.kpj, status: 'active', coveredThrough: expect.stringMatching(/^\d{4}-\d{2}$/), at: expect.any(String) } });
    expect(received[0]!.headers['webhook-id']).toBe(rows[0]!.id);
    // Claiming the messages again (a second worker, a retry) queues nothing new.
    expect(await t.db.selectFrom('webhook_delivery').select('id').execute()).toHaveLength(1);
  });

  it('member.status_changed: the daily status job queues the lapse to arrears in its batch transaction', async () => {
    t.clock.set(new Date('2026-12-16T09:00:00+07:00'));
    const run = (await t.post('/dev/jobs/run')).body as { ran: string[]; webhooks: number };
    expect(run.ran).toContain('status:2026-12-16');
    expect(run.webhooks).toBe(1);
    const changed = received.slice(1).map(verified);
    expect(changed).toEqual([
      {
        type: 'member.status_changed',
        timestamp: expect.any(String),
        data: { kpj: partnerPaid.kpj, status: 'arrears', previousStatus: 'active', effectiveDate: '2026-12-16', coveredThrough: expect.stringMatching(/^\d{4}-\d{2}$/), at: expect.any(String) },
      },
    ]);
    expect(received[1]!.headers['webhook-id']).toBe(`member.status_changed:${partnerPaid.id}:2026-12-16:arrears`);
    // The self-paid member lapsed too, and no partner hears of it; nor does any body carry a NIK.
    expect(await t.db.selectFrom('membership_status_change').select('participant_id').where('participant_id', '=', selfPaid.id).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('webhook_delivery').select('id').where('participant_id', '=', selfPaid.id).execute()).toEqual([]);
    expect(received.every((r) => !/nik/i.test(r.body))).toBe(true);
    // Running the day again changes nothing.
    expect((await t.post('/dev/jobs/run')).body.webhooks).toBe(0);
    expect(received).toHaveLength(2);
  });

  it('the paying partner is the funding in force: a member moved under the partner by setFunding gets events, one moved away none', async () => {
    const movedIn = await member(null);
    const movedOut = await member(PARTNER); // its activation goes to the partner (the registration says so)
    while ((await deliverDueMessages(t.deps, { email: null, sms: null })) > 0);
    const move = (participantId: string, funding: 'partner' | 'self') =>
      t.db.transaction().execute((trx) => setFunding(trx, t.deps, { participantId, funding, payerId: funding === 'partner' ? PARTNER : null, fromMonth: '2027-01', actor: 'test' }));
    await move(movedIn.id, 'partner');
    await move(movedOut.id, 'self');
    t.clock.set(new Date('2027-01-16T09:00:00+07:00')); // both covered through December 2026: both lapse today
    await t.post('/dev/jobs/run');
    const changes = await t.db.selectFrom('membership_status_change').select('participant_id').where('participant_id', 'in', [movedIn.id, movedOut.id]).execute();
    expect(changes).toHaveLength(2);
    const events = await t.db.selectFrom('webhook_delivery').select(['participant_id', 'event_type']).where('participant_id', 'in', [movedIn.id, movedOut.id]).orderBy('created_at').execute();
    expect(events).toEqual([
      { participant_id: movedOut.id, event_type: 'member.activated' },
      { participant_id: movedIn.id, event_type: 'member.status_changed' },
    ]);
  });
});
