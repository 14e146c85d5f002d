import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestData, makePerson, registerVerified } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issue 18: /masuk takes a phone OR an e-mail. An e-mail of an unfinished registration gets its resume code by
 * e-mail; an unknown address gets the same redirect and the same page (no account enumeration), and no message.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function outbox(to: string) {
  return (await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { channel: string; template: string; subject: string }[];
}

describe('/masuk by e-mail', () => {
  it('one field "Nomor HP atau email"; a known e-mail gets the code by e-mail and resumes; an unknown one looks the same', async () => {
    const b = portalClient(t);
    const form = await b.get('/masuk');
    expect(textOf(form.html)).toContain('Nomor HP atau email');
    expect(form.html).toMatch(/<input[^>]*name="phone"[^>]*inputmode="text"|<input[^>]*inputmode="text"[^>]*name="phone"/);

    const person = makePerson();
    const id = await registerVerified(t, person);
    const email = person.email as string;
    const sent = await b.submit('/masuk', '/masuk', { phone: `  ${email.toUpperCase()} ` }, { follow: false });
    expect(sent.location).toBe('/masuk/kode');
    const known = await b.get('/masuk/kode');
    // An e-mail of its own (subject, greeting), not the SMS text in an e-mail without a subject.
    const mail = (await outbox(email)).filter((m) => m.template === 'resume_code_email');
    expect(mail.map((m) => m.channel)).toEqual(['email']);
    expect(mail[0]?.subject).toBe('Kode untuk melanjutkan pendaftaran BPJS Ketenagakerjaan');
    const code = await latestData(t, email, 'otp');
    const done = await b.submit('/masuk/kode', '/masuk/kode', { code }, { follow: false });
    expect(done.location).toBe(`/daftar/${id}`);

    const stranger = portalClient(t);
    const unknownSent = await stranger.submit('/masuk', '/masuk', { phone: 'tidak.ada@contoh.id' }, { follow: false });
    expect(unknownSent.location).toBe('/masuk/kode');
    const unknown = await stranger.get('/masuk/kode');
    expect(unknown.status).toBe(known.status);
    expect(textOf(unknown.html).replace('tidak.ada@contoh.id', 'X')).toBe(textOf(known.html).replace(email.toLowerCase(), 'X'));
    expect(await outbox('tidak.ada@contoh.id')).toEqual([]);
    const wrong = await stranger.submit('/masuk/kode', '/masuk/kode', { code: '123456' }, { follow: false });
    expect(wrong.location).toBe('/masuk/kode');

    const bad = await portalClient(t).submit('/masuk', '/masuk', { phone: 'bukan@email' });
    expect(textOf(bad.html)).toContain('Alamat email tidak valid');
  });
});
