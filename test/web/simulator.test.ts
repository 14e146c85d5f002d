import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The benefit list of a simulator result: each <dt> with the <dd> after it, as visible text. */
function benefitRows(html: string): { term: string; value: string }[] {
  return [...html.matchAll(/<dt>([\s\S]*?)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)].map((m) => ({ term: textOf(m[1] ?? ''), value: textOf(m[2] ?? '') }));
}

describe('contribution simulator: benefits per program (rulebook §4.1-4.3)', () => {
  it.each([
    ['id', undefined, /JKK/, /JKM/, /3 tahun/],
    ['en', 'en', /JKK/, /JKM/, /3 years/],
  ])('%s: the JKK scholarship has no contribution-years condition; the JKM one needs 3 years', async (_lang, acceptLanguage, jkk, jkm, threeYears) => {
    const page = await portalClient(t, acceptLanguage ? { acceptLanguage } : {}).open('/simulasi?income=2000000&months=1');
    expect(page.status, textOf(page.html)).toBe(200);
    const scholarships = benefitRows(page.html).filter((r) => /Beasiswa|Scholarship/.test(r.term));
    expect(scholarships.map((r) => r.term)).toHaveLength(2);
    const jkkRow = scholarships.find((r) => jkk.test(r.term) && !jkm.test(r.term));
    const jkmRow = scholarships.find((r) => jkm.test(r.term) && !jkk.test(r.term));
    expect(jkkRow?.term).not.toMatch(threeYears);
    expect(jkkRow?.value).toBe('Rp174.000.000');
    expect(jkmRow?.term).toMatch(threeYears);
    expect(jkmRow?.value).toBe('Rp174.000.000');
  });
});
