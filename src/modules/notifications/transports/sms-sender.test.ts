import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSmsSender, toMsisdn } from './sms-sender.js';

const TOKEN = 'tok-123';
const requests: { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: unknown }[] = [];
// Per-test behaviour of the fake gateway.
let mode: 'ok' | 'fail500' | 'refuse' | 'hang' = 'ok';

const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    requests.push({ method: req.method, url: req.url, headers: req.headers, body });
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { success: false, error: 'invalid token' });
    if (mode === 'fail500') return reply(500, { success: false, error: 'upstream operator down' });
    if (mode === 'refuse') return reply(200, { success: false, error: 'insufficient balance' });
    if (mode === 'hang') return; // never answers
    reply(200, { success: true, msg_id: `gw-${requests.length}` });
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sms/send`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
  mode = 'ok';
});

describe('createHttpSmsSender', () => {
  it('posts the gateway payload with bearer auth and idempotency key, MSISDN without plus', async () => {
    const sms = createHttpSmsSender({ url, token: TOKEN, senderId: 'LINDUNG' });
    const res = await sms.send({ to: '+6281234567890', text: 'Kode verifikasi Anda: 482913', idempotencyKey: 'otp-42' });
    expect(res).toEqual({ providerMessageId: 'gw-1' });
    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/v1/sms/send');
    expect(r.headers.authorization).toBe('Bearer tok-123');
    expect(r.headers['idempotency-key']).toBe('otp-42');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({
      sender_id: 'LINDUNG',
      recipient_number: '6281234567890',
      message_body: 'Kode verifikasi Anda: 482913',
      reference_id: 'otp-42',
    });
  });

  it('rejects on a 500 with the status and body in the error', async () => {
    mode = 'fail500';
    const sms = createHttpSmsSender({ url, token: TOKEN });
    await expect(sms.send({ to: '+6281234567890', text: 'x', idempotencyKey: 'k1' })).rejects.toThrow(/500.*upstream operator down/);
  });

  it('rejects on a wrong token (401)', async () => {
    const sms = createHttpSmsSender({ url, token: 'wrong' });
    await expect(sms.send({ to: '+6281234567890', text: 'x', idempotencyKey: 'k2' })).rejects.toThrow(/401/);
  });

  it('rejects on a 2xx with success:false', async () => {
    mode = 'refuse';
    const sms = createHttpSmsSender({ url, token: TOKEN });
    await expect(sms.send({ to: '+6281234567890', text: 'x', idempotencyKey: 'k3' })).rejects.toThrow(/insufficient balance/);
  });

  it('aborts after timeoutMs', async () => {
    mode = 'hang';
    const sms = createHttpSmsSender({ url, token: TOKEN, timeoutMs: 200 });
    await expect(sms.send({ to: '+6281234567890', text: 'x', idempotencyKey: 'k4' })).rejects.toThrow();
  });

  it('refuses a number that is not E.164 rather than guessing', () => {
    expect(toMsisdn('+6281234567890')).toBe('6281234567890');
    expect(() => toMsisdn('081234567890')).toThrow(RangeError);
    expect(() => toMsisdn('+62 812')).toThrow(RangeError);
  });
});
