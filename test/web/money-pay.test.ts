import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePerson, registerVerified } from '../support/factories.js';
import { csrfOf, portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Issue 18 items 1, 7, 8, 10 at request level: one code per step-4 submission, Post/Redirect/Get, money, receipts. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function paymentCodeMails(to: string): Promise<{ body: string; data: Record<string, string> }[]> {
  const res = await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`);
  return (res.body.messages as { body: string; data: Record<string, string> }[]).filter((m) => m.data['paymentCode']);
}

async function stepFour() {
  const person = makePerson();
  const id = await registerVerified(t, person);
  const b = portalClient(t);
  const path = `/daftar/${id}/program`;
  const form = async () => {
    const page = await b.get(path);
    const token = /name="token" value="([^"]+)"/.exec(page.html)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    return { csrf: csrfOf(page.html), token: token as string };
  };
  return { person, b, path, form };
}

describe('step 4 without JavaScript: one payment code per submission (issue 18 item 10)', () => {
  it('three quick submits of one form make one code and one email', async () => {
    const { person, b, path, form } = await stepFour();
    const { csrf, token } = await form();
    const fields = { _csrf: csrf, token, income: '2.000.000', programs: 'JHT', months: '3', intent: 'submit' };
    const answers = await Promise.all([b.post(path, fields), b.post(path, fields), b.post(path, fields)]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    const codes = new Set(answers.map((a) => a.location));
    expect(codes.size).toBe(1);
    expect([...codes][0]).toMatch(/^\/bayar\/\d{16}$/);
    const mails = await paymentCodeMails(person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).not.toContain('menggantikan');
    // The one code is payable: the pay page shows it open.
    const pay = await b.get([...codes][0] as string);
    expect(pay.status).toBe(200);
  });

  it('a new submission that replaces an unpaid code says so in its email', async () => {
    const { person, b, path, form } = await stepFour();
    const first = await form();
    const one = await b.post(path, { _csrf: first.csrf, token: first.token, income: '2.000.000', months: '1', intent: 'submit' });
    const second = await form();
    expect(second.token).not.toBe(first.token);
    const two = await b.post(path, { _csrf: second.csrf, token: second.token, income: '2.000.000', months: '3', intent: 'submit' });
    expect(two.location).not.toBe(one.location);
    const oldCode = (one.location as string).slice('/bayar/'.length);
    const mails = await paymentCodeMails(person.email);
    expect(mails).toHaveLength(2);
    const newest = mails.find((m) => m.data['paymentCode'] === (two.location as string).slice('/bayar/'.length));
    expect(newest?.body).toContain(`Kode bayar ini menggantikan kode ${oldCode} yang tidak berlaku lagi.`);
    expect((await b.get(one.location as string)).status).toBe(409); // the old code: cancelled
  });

  it('recalculating and a wrong income answer with a redirect (Post/Redirect/Get); the page keeps the choice', async () => {
    const { b, path, form } = await stepFour();
    const { csrf, token } = await form();
    const recalc = await b.post(path, { _csrf: csrf, token, income: '2.000.000', programs: 'JHT', months: '3', intent: 'quote' });
    expect(recalc.status).toBe(303);
    expect(recalc.location).toBe(`${path}?penghasilan=2.000.000&program=JKK&program=JKM&program=JHT&bulan=3`);
    const shown = await b.get(recalc.location as string);
    expect(shown.status).toBe(200);
    expect(shown.html).toMatch(/<input[^>]*value="JHT"[^>]*checked|<input[^>]*checked[^>]*value="JHT"/);
    expect(textOf(shown.html)).toMatch(/3 bulan × Rp[\d.]+ = Rp[\d.]+/);
    const wrong = await b.post(path, { _csrf: csrf, token, income: 'dua juta', months: '1', intent: 'submit' });
    expect(wrong.status).toBe(303);
    const page = await b.get(wrong.location as string);
    expect(page.status).toBe(422);
    expect(textOf(page.html)).toContain('Tulis penghasilan dalam angka');
    expect(page.html).toContain('value="dua juta"');
  });
});
