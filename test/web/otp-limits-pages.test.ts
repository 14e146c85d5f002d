import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addResident, latestData, makePerson, wrongCode } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, TEST_START, type TestApp } from '../support/test-app.js';

/** The registration's phone step: the lock notices give the bound they name, and the code field is shown locked. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(() => t.clock.set(new Date(TEST_START)));


async function registration() {
  const person = makePerson();
  await addResident(t, person);
  const created = await t.post('/api/v1/registrations', person);
  return { person, path: `/daftar/${created.body.id as string}`, b: portalClient(t) };
}

describe('the lock on the registration’s phone step', () => {
  it('a wrong code is shown with the code field open; after the 5th the field is shown locked', async () => {
    const { person, path, b } = await registration();
    const code = await latestData(t, person.phone, 'otp');
    // Each refusal is a 303 back to the registration's page (Post/Redirect/Get); followed, it shows the status.
    const wrong = await b.submit(path, `${path}/otp`, { code: wrongCode(code) });
    expect(wrong.status).toBe(422);
    expect(wrong.html).not.toContain('class="locked"');
    for (let i = 0; i < 4; i++) {
      await b.submit(path, `${path}/otp`, { code: wrongCode(code) }, { follow: false });
    }
    const locked = await b.submit(path, `${path}/otp`, { code });
    expect(locked.status).toBe(429);
    expect(locked.html).toContain('class="locked"');
  });

  it('after 10 wrong codes today the notice names the 10 and the field is shown locked', async () => {
    const { person, path, b } = await registration();
    for (let round = 0; round < 2; round++) {
      const code = await latestData(t, person.phone, 'otp');
      for (let i = 0; i < 5; i++) {
        await b.submit(path, `${path}/otp`, { code: wrongCode(code) }, { follow: false });
      }
      t.clock.advance(61_000);
      expect((await b.submit(path, `${path}/otp/kirim-ulang`, {}, { follow: false })).status).toBe(303);
    }
    const res = await b.submit(path, `${path}/otp`, { code: await latestData(t, person.phone, 'otp') });
    expect(res.status).toBe(429);
    expect(textOf(res.html)).toContain('sudah dimasukkan 10 kali untuk nomor HP ini');
    expect(res.html).toContain('class="locked"');
  });
});
