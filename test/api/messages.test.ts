import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_BY_CODE, type ErrorCode } from '../../src/http/errors.js';
import { errorMessage } from '../../src/http/messages.js';
import { deliverDueMessages, type Transports } from '../../src/modules/notifications/deliver-outbox.js';
import { enqueueMessage } from '../../src/modules/notifications/outbox.js';
import { createSmtpEmailSender } from '../../src/modules/notifications/transports/email-sender.js';
import { expectError, INDONESIAN, outbox } from '../support/api-errors.js';
import { activeMember, addResident, latestData, makePerson } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

const e164 = (nationalPhone: string) => `+62${nationalPhone.slice(1)}`;

describe('error messages: Indonesian by default, English on Accept-Language: en', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const ENGLISH: Record<string, RegExp> = {
    invalid_nik: /^Invalid NIK/,
    invalid_request: /^Invalid request/,
    not_found: /^Not found/,
    unauthorized: /^Please sign in/,
    unknown_payment_code: /^Unknown payment code/,
    invalid_programs: /^JKK and JKM are required/,
    unknown_registration: /^Registration not found/,
  };

  async function rawPost(path: string, body: string, headers: Record<string, string>): Promise<TestResponse> {
    const res = await t.app.request(path, { method: 'POST', body, headers });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }

  const person = makePerson();
  const cases: [string, number, string, string | undefined, (h: Record<string, string>) => Promise<TestResponse>][] = [
    ['a NIK of 15 digits', 422, 'invalid_nik', 'nik', (h) => t.post('/api/v1/registrations', { ...person, nik: '327501170590000' }, h)],
    ['malformed JSON', 400, 'invalid_request', undefined, (h) => t.post('/api/v1/registrations', '{"nik":', h)],
    ['a wrong type', 400, 'invalid_request', 'consent', (h) => t.post('/api/v1/registrations', { ...person, consent: 'yes' }, h)],
    ['a body not sent as JSON', 415, 'invalid_request', undefined, (h) => rawPost('/api/v1/registrations', JSON.stringify(person), { 'content-type': 'text/plain', ...h })],
    ['an unknown path', 404, 'not_found', undefined, (h) => t.get('/api/v1/tidak-ada', h)],
    ['no session', 401, 'unauthorized', undefined, (h) => t.get('/api/v1/me', h)],
    ['an unknown payment code', 404, 'unknown_payment_code', 'paymentCode', (h) => t.get('/api/v1/bills/8000000000000000', h)],
    ['a quote with duplicate programs', 422, 'invalid_programs', 'programs', (h) => t.post('/api/v1/quotes', { programs: ['JKK', 'JKM', 'JKM'], declaredIncome: 1_000_000, months: 1 }, h)],
    ['an unknown registration', 404, 'unknown_registration', undefined, (h) => t.post('/api/v1/registrations/reg_tidakada/otp', undefined, h)],
  ];

  it.each(cases)('%s → %i %s', async (_label, status, code, field, send) => {
    const asIndonesian = [await send({}), await send({ 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' })];
    const asEnglish = [await send({ 'accept-language': 'en' }), await send({ 'accept-language': 'en-US,en;q=0.9,id;q=0.5' })];

    for (const res of asIndonesian) {
      expectError(res, status, code, field);
      expect(res.body.error.message).toBe(errorMessage(code as ErrorCode, 'id'));
    }
    for (const res of asEnglish) {
      expect({ status: res.status, code: res.body.error.code, field: res.body.error.field }).toEqual({ status, code, field });
      expect(res.body.error.message).toMatch(ENGLISH[code]!);
      expect(res.body.error.message).toBe(errorMessage(code as ErrorCode, 'en'));
    }
  });

  it('every error code has an Indonesian and an English message, and they differ', () => {
    for (const code of Object.keys(STATUS_BY_CODE) as ErrorCode[]) {
      const id = errorMessage(code, 'id');
      const en = errorMessage(code, 'en');
      expect(id.trim().length, code).toBeGreaterThan(5);
      expect(en.trim().length, code).toBeGreaterThan(5);
      expect(id, code).not.toBe(en);
    }
  });

  it('the fragments the API tests match on are the real Indonesian messages', () => {
    for (const [code, fragment] of Object.entries(INDONESIAN)) {
      expect(errorMessage(code as ErrorCode, 'id'), code).toMatch(fragment);
    }
  });
});

describe('email delivery through a real SMTP server', () => {
  const FROM = 'Lindung <no-reply@lindung.test>';
  const received: { to: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          cb();
        })
        .catch(cb);
    },
  });
  let s: TestApp;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    s = await createTestApp({ transports: { email: createSmtpEmailSender({ url: `smtp://127.0.0.1:${port}`, from: FROM }), sms: null } });
  });
  afterAll(async () => {
    await s.transports.email?.close?.();
    await s.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const mailsTo = (address: string) => received.filter((r) => r.to.includes(address)).map((r) => r.mail);

  /** Runs the outbox worker's loop until nothing is due. */
  async function drain(transports: Transports = s.transports): Promise<number> {
    let total = 0;
    for (let round = 0; round < 50; round++) {
      const n = await deliverDueMessages(s.deps, transports);
      if (n === 0) {
        return total;
      }
      total += n;
    }
    throw new Error('the outbox never drained');
  }

  const rowsTo = (recipient: string) =>
    s.db.selectFrom('outbox_message').select(['channel', 'status', 'attempts', 'next_attempt_at', 'sent_at', 'last_error']).where('recipient', '=', recipient).execute();

  it('delivers the first journey’s emails: the verification token, and the card with its PDF; every outbox row ends up sent', async () => {
    const m = await activeMember(s);
    const token = await latestData(s, m.person.email, 'token');

    expect(await drain()).toBeGreaterThanOrEqual(5); // token email + OTP SMS, payment code, card, login SMS

    const mails = mailsTo(m.person.email);
    const queued = await outbox(s, m.person.email);
    expect(mails.map((x) => x.subject).sort()).toEqual(queued.map((x) => x.subject).sort());
    for (const mail of mails) {
      expect(mail.from?.value[0]?.address).toBe('no-reply@lindung.test');
    }

    const verification = mails.find((x) => x.text?.includes(token));
    expect(verification?.subject).toBe(queued.find((x) => x.data.token)?.subject);

    const card = mails.find((x) => x.subject?.startsWith('Kartu peserta'));
    expect(card?.subject).toBe(`Kartu peserta BPJS Ketenagakerjaan — KPJ ${m.kpj}`);
    expect(card?.attachments).toHaveLength(1);
    const pdf = card!.attachments[0]!;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toBe(`kartu-bpjs-${m.kpj}.pdf`);
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.content.length).toBeGreaterThan(1_000);

    const rows = [...(await rowsTo(m.person.email)), ...(await rowsTo(e164(m.person.phone)))];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: expect.any(Date) });
    }
    expect((await outbox(s, m.person.email)).every((x) => (x as unknown as { status: string }).status === 'sent')).toBe(true);
  });

  it('an SMTP failure leaves the message pending, counts the attempt and backs off; it goes out once SMTP answers', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const failing: Transports = { email: createSmtpEmailSender({ url: `smtp://127.0.0.1:${closedPort}`, from: FROM }), sms: null };

    const person = makePerson();
    await addResident(s, person);
    expect((await s.post('/api/v1/registrations', person)).status).toBe(201);
    const t0 = s.clock.now().getTime();

    await drain(failing);
    let [mail] = await rowsTo(person.email);
    expect(mail).toMatchObject({ status: 'pending', attempts: 1, sent_at: null, last_error: expect.stringMatching(/\S/) });
    expect(mail!.next_attempt_at.getTime()).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(await rowsTo(e164(person.phone))).toMatchObject([{ channel: 'sms', status: 'sent' }]); // no SMS gateway: the dev outbox is the delivery

    // Not due again before the back-off has passed.
    await drain(failing);
    expect((await rowsTo(person.email))[0]).toMatchObject({ status: 'pending', attempts: 1 });

    s.clock.advance(31_000);
    await drain(failing);
    [mail] = await rowsTo(person.email);
    expect(mail).toMatchObject({ status: 'pending', attempts: 2 });
    expect(mail!.next_attempt_at.getTime()).toBeGreaterThanOrEqual(s.clock.now().getTime() + 55_000); // the back-off doubles
    expect(mailsTo(person.email)).toEqual([]);

    s.clock.advance(61_000);
    await drain();
    expect((await rowsTo(person.email))[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(mailsTo(person.email)).toHaveLength(1);
    expect(mailsTo(person.email)[0]!.text).toContain(await latestData(s, person.email, 'token'));
  });
});

describe('language negotiation and delivery without a transport', () => {
  it.each(['en', 'en-US', 'en_US', 'en;q=0.9'])('Accept-Language %s gets English', async (lang) => {
    const t2 = await createTestApp();
    try {
      const res = await t2.post('/api/v1/quotes', { declaredIncome: 500_000, programs: ['JKK', 'JKM'], months: 1 }, { 'accept-language': lang });
      expect(res.body.error.message).toBe('The declared income must be at least Rp1.000.000 a month.');
    } finally {
      await t2.close();
    }
  });

  it('in production a message with no configured transport is failed, not reported as sent', async () => {
    const prod = await createTestApp({
      env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'p1', OTP_SECRET: 'p2', CARD_SIGNING_SEED: 'p3', STAFF_API_KEY: 'p4', COOKIE_SECRET: 'p5' },
    });
    try {
      const now = prod.clock.now();
      await prod.db.transaction().execute((trx) =>
        enqueueMessage(trx, { channel: 'sms', to: '+6281234567890', now, message: { template: 'login_otp', otp: '123456' } }),
      );
      expect(await deliverDueMessages(prod.deps, { email: null, sms: null })).toBe(1);
      const row = await prod.db.selectFrom('outbox_message').select(['status', 'last_error']).executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
      expect(row.last_error).toMatch(/SMS_GATEWAY_URL/);
    } finally {
      await prod.close();
    }
  });
});
