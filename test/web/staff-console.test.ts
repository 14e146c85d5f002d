import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffAccount, mayCall, STAFF_ROLES, type StaffRole } from '../../src/modules/staff/index.js';
import { MOUNTED_SECTIONS } from '../../src/web/staff/console.js';
import { formatRate, parseRatePercent } from '../../src/web/staff/jht-rates.js';
import { safeNext } from '../../src/web/staff/kit.js';
import { CONSOLE_SECTIONS, sectionRoles, visibleSections, type SectionKey } from '../../src/web/staff/sections.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The staff console frame (issue 15 item 7) through the real app: sign-in with the lockout and TOTP, the session
 * cookie, the menu by role from the one section table (checked against STAFF_POLICY), the 403 page, CSRF refusal,
 * the JHT rate form (PRG, flash, 409) and the audit page.
 */
let t: TestApp;
const PASSWORD = 'kata-sandi-staf-123';
type Client = ReturnType<typeof portalClient>;

async function createStaff(username: string, roles: StaffRole[], extra: Record<string, unknown> = {}) {
  const res = await t.post('/dev/staff', { username, password: PASSWORD, roles, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { otpauthUri?: string };
}

async function signIn(client: Client, username: string, password = PASSWORD, extra: Record<string, string> = {}) {
  return client.submit('/staff/masuk', '/staff/masuk', { username, password, totp: '', ...extra }, { follow: false });
}

async function signedIn(username: string): Promise<Client> {
  const client = portalClient(t);
  const res = await signIn(client, username);
  expect(res.status, textOf(res.html)).toBe(303);
  return client;
}

const navOf = (html: string) => [...(/<nav aria-label="Menu konsol staf">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await createTestApp();
  await createStaff('admin-satu', ['admin']);
  await createStaff('super-satu', ['supervisor']);
  await createStaff('keu-satu', ['finance']);
  await createStaff('verif-satu', ['claims_verifier']);
});
afterAll(async () => t.close());

describe('sign-in (/staff/masuk)', () => {
  it('shows the form in Indonesian with a CSRF token, a password field and the authenticator code', async () => {
    const page = await portalClient(t).get('/staff/masuk');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<html lang="id"');
    expect(page.html).toContain('name="_csrf"');
    expect(page.html).toMatch(/type="password"/);
    expect(page.html).toMatch(/autocomplete="one-time-code"/);
    expect(textOf(page.html)).toContain('Masuk ke konsol staf');
    expect(page.html).not.toMatch(/\sstyle=|<script/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('signs in: a 303 to Beranda and an HttpOnly, SameSite=Strict session cookie on /staff that ends with the session', async () => {
    const client = portalClient(t);
    const res = await signIn(client, 'ADMIN-satu');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/staff');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('lindung_staf='))!;
    expect(cookie).toMatch(/lindung_staf=stf_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/staff/);
    expect(cookie).not.toMatch(/Secure/); // http in the test app; https (production) adds it
    expect(Number(/Max-Age=(\d+)/.exec(cookie)?.[1])).toBeGreaterThan(8 * 3600 - 5);
    const home = await client.get('/staff');
    expect(home.status).toBe(200);
    expect(textOf(home.html)).toContain('Selamat datang, admin-satu.');
  });

  it('refuses a wrong password with 401 and the Indonesian message, keeping the username', async () => {
    const client = portalClient(t);
    const res = await signIn(client, 'super-satu', 'salah-sekali');
    expect(res.status).toBe(401);
    expect(textOf(res.html)).toContain('Nama pengguna, kata sandi atau kode autentikator salah');
    expect(res.html).toContain('value="super-satu"');
    expect(client.cookies.has('lindung_staf')).toBe(false);
    expect((await signIn(client, '', '')).status).toBe(422);
  });

  it('locks the account after 5 failures in 15 minutes: the right password then gets 429 and the lockout message', async () => {
    await createStaff('kunci-satu', ['admin']);
    const client = portalClient(t);
    for (let i = 0; i < 5; i++) {
      expect((await signIn(client, 'kunci-satu', `salah-${i}`)).status).toBe(401);
    }
    const locked = await signIn(client, 'kunci-satu');
    expect(locked.status).toBe(429);
    expect(textOf(locked.html)).toContain('Akun ini dikunci selama 15 menit');
  });

  it('needs the authenticator code of an account that has one', async () => {
    const made = await createStaff('totp-satu', ['supervisor'], { totp: true });
    const totp = URI.parse(made.otpauthUri ?? '');
    const client = portalClient(t);
    expect((await signIn(client, 'totp-satu')).status).toBe(401);
    expect((await signIn(client, 'totp-satu', PASSWORD, { totp: '12ab' })).status).toBe(422);
    const ok = await signIn(client, 'totp-satu', PASSWORD, { totp: totp.generate({ timestamp: t.clock.now().getTime() }) });
    expect(ok.status, textOf(ok.html)).toBe(303);
  });

  it('sends a visitor without a session to the sign-in page and back to where they were going', async () => {
    const client = portalClient(t);
    const first = await client.get('/staff/tarif-jht');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/staff/masuk?lanjut=%2Fstaff%2Ftarif-jht');
    const form = await client.get(first.location!);
    expect(form.html).toContain('name="lanjut" value="/staff/tarif-jht"');
    const res = await client.submit(first.location!, '/staff/masuk', { username: 'admin-satu', password: PASSWORD, lanjut: '/staff/tarif-jht' }, { follow: false });
    expect(res.location).toBe('/staff/tarif-jht');
    expect(safeNext('https://jahat.example/staff')).toBe('/staff');
    expect(safeNext('//jahat.example')).toBe('/staff');
  });

  it('signs out: the session ends at once, the cookie is dropped, and the sign-in page says so', async () => {
    const client = await signedIn('super-satu');
    const token = client.cookies.get('lindung_staf')!;
    const out = await client.submit('/staff', '/staff/keluar', {});
    expect(out.status).toBe(200);
    expect(textOf(out.html)).toContain('Anda sudah keluar dari konsol staf.');
    expect(client.cookies.has('lindung_staf')).toBe(false);
    expect((await t.get('/api/v1/staff/audit?entity=jht_rate:2026', { authorization: `Bearer ${token}` })).status).toBe(401);
  });
});

describe('menu by role, Beranda and the 403 page', () => {
  it('derives every section from STAFF_POLICY: a role sees a section iff it may call all of its endpoints', () => {
    for (const key of Object.keys(CONSOLE_SECTIONS) as SectionKey[]) {
      for (const role of STAFF_ROLES) {
        const may = CONSOLE_SECTIONS[key].api.every((api) => {
          const [method = '', path = ''] = api.split(' ');
          return mayCall([role], method, path);
        });
        expect(sectionRoles(key).includes(role), `${key} × ${role}`).toBe(may);
      }
    }
    expect(sectionRoles('jhtRates')).toEqual(['admin']);
    expect(sectionRoles('audit')).toEqual(['supervisor', 'admin']);
    expect([...MOUNTED_SECTIONS].sort()).toEqual(['audit', 'claimsQueue', 'counterQueue', 'dashboards', 'jhtRates', 'payouts', 'staffAccounts', 'holidays', 'offices', 'contact', 'counterRegister', 'occupations', 'partners', 'agents', 'agentFinance'].sort());
    // A section whose page is not mounted is not shown, even to the roles that may see it.
    expect(visibleSections(new Set(['audit']), ['claims_verifier'])).toEqual([]);
    expect(visibleSections(MOUNTED_SECTIONS, ['claims_verifier'])).toEqual(['claimsQueue']);
  });

  it.each([
    ['admin-satu', ['/staff', '/staff/tarif-jht', '/staff/audit', '/staff/dasbor', '/staff/akun', '/staff/kantor', '/staff/kalender-libur', '/staff/pekerjaan', '/staff/mitra', '/staff/agen']],
    ['super-satu', ['/staff', '/staff/klaim', '/staff/pembayaran-manfaat', '/staff/audit', '/staff/antrean', '/staff/dasbor', '/staff/layanan']],
    ['keu-satu', ['/staff', '/staff/pembayaran-manfaat', '/staff/agen/keuangan']],
    ['verif-satu', ['/staff', '/staff/klaim']],
  ])('%s sees %j in the menu and the same sections on Beranda', async (username, links) => {
    const client = await signedIn(username);
    const home = await client.get('/staff');
    expect(home.status).toBe(200);
    expect(navOf(home.html)).toEqual(links);
    for (const href of links.slice(1)) {
      expect(home.html).toContain(`<h3><a href="${href}">`);
    }
    if (links.length === 1) {
      expect(textOf(home.html)).toContain('Belum ada halaman konsol untuk peran Anda.');
    }
  });

  it('answers a page the roles do not allow with the Indonesian 403 page', async () => {
    const client = await signedIn('super-satu');
    const page = await client.get('/staff/tarif-jht');
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('Akses ditolak');
    const post = await client.submit('/staff', '/staff/tarif-jht', { year: '2026', rate: '7,25' }, { follow: false });
    expect(post.status).toBe(403);
    expect(await t.db.selectFrom('jht_rate').selectAll().where('year', '=', 2026).executeTakeFirst()).toBeUndefined();
  });

  it('speaks English with ?lang=en', async () => {
    const client = await signedIn('admin-satu');
    const page = await client.open('/staff?lang=en');
    expect(page.html).toContain('<html lang="en"');
    expect(textOf(page.html)).toContain('JHT return rates');
  });
});

describe('JHT return rates (/staff/tarif-jht) and the audit trail (/staff/audit)', () => {
  it('refuses a form without the CSRF token (403) and changes nothing', async () => {
    const client = await signedIn('admin-satu');
    const res = await client.post('/staff/tarif-jht', { year: '2025', rate: '7' });
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain('Formulir kedaluwarsa');
    const forged = await client.post('/staff/tarif-jht', { year: '2025', rate: '7', _csrf: 'palsu' });
    expect(forged.status).toBe(403);
    expect(await t.db.selectFrom('jht_rate').selectAll().where('year', '=', 2025).executeTakeFirst()).toBeUndefined();
  });

  it('sets a rate: 303, the flash once, the table row, and the audit event under the username', async () => {
    const client = await signedIn('admin-satu');
    const res = await client.submit('/staff/tarif-jht', '/staff/tarif-jht', { year: '2026', rate: '7,25' }, { follow: false });
    expect(res.status, textOf(res.html)).toBe(303);
    expect(res.location).toBe('/staff/tarif-jht');
    const page = await client.get('/staff/tarif-jht');
    const text = textOf(page.html);
    expect(text).toContain('Tarif tahun 2026 disimpan: 7,25%.');
    expect(text).toMatch(/2026 7,25% admin-satu .* Belum dipakai/);
    expect(textOf((await client.get('/staff/tarif-jht')).html)).not.toContain('disimpan');
    expect(await t.db.selectFrom('jht_rate').select(['rate_bp', 'set_by']).where('year', '=', 2026).executeTakeFirst()).toEqual({ rate_bp: 725, set_by: 'admin-satu' });
    const audit = await client.get('/staff/audit?entitas=jht_rate:2026');
    expect(audit.status).toBe(200);
    expect(textOf(audit.html)).toMatch(/admin-satu jht_rate\.put/);
  });

  it('keeps the values and says what is wrong (422)', async () => {
    const client = await signedIn('admin-satu');
    const res = await client.submit('/staff/tarif-jht', '/staff/tarif-jht', { year: '26', rate: '7,255' });
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain('Isi tahun dengan 4 angka');
    expect(textOf(res.html)).toContain('Isi tarif antara 0 dan 100');
    expect(res.html).toContain('value="7,255"');
  });

  it('shows 409 rate_already_applied in Indonesian once crediting applied the year', async () => {
    await t.db.insertInto('jht_rate').values({ year: 2024, rate_bp: 700, set_at: t.clock.now(), set_by: 'admin-satu', applied_at: t.clock.now() }).execute();
    const client = await signedIn('admin-satu');
    expect(textOf((await client.get('/staff/tarif-jht')).html)).toMatch(/2024 7,00% admin-satu .* Sudah dipakai sejak/);
    const res = await client.submit('/staff/tarif-jht', '/staff/tarif-jht', { year: '2024', rate: '8' });
    expect(res.status).toBe(409);
    expect(textOf(res.html)).toContain('sudah dipakai untuk mengkredit saldo peserta');
  });

  it('audit: the supervisor reads it; a malformed entity is 422; an admin gets the audit link on the rates table', async () => {
    const client = await signedIn('super-satu');
    expect((await client.get('/staff/audit')).status).toBe(200);
    expect((await client.get('/staff/audit?entitas=tanpa-titik-dua')).status).toBe(422);
    expect(textOf((await client.get('/staff/audit?entitas=jht_rate:1999')).html)).toContain('Tidak ada catatan audit untuk jht_rate:1999.');
    const admin = await signedIn('admin-satu');
    expect((await admin.get('/staff/tarif-jht')).html).toContain('href="/staff/audit?entitas=jht_rate:2026"');
    expect((await (await signedIn('keu-satu')).get('/staff/audit')).status).toBe(403);
  });

  it.each([
    ['7,25', 725],
    ['7.25', 725],
    ['7', 700],
    ['7,5', 750],
    ['0', 0],
    ['100', 10_000],
    ['7,25 %', 725],
    ['100,01', null],
    ['7,255', null],
    ['-1', null],
    ['', null],
  ])('parses the rate %j as %j basis points', (raw, bp) => {
    expect(parseRatePercent(raw)).toBe(bp);
  });

  it('formats rates the Indonesian and the English way', () => {
    expect(formatRate(725, 'id')).toBe('7,25%');
    expect(formatRate(725, 'en')).toBe('7.25%');
  });
});

describe('production mode and the sign-in failure limit', () => {
  it('production: the authenticator code is required, and the session cookie is Secure', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'a', OTP_SECRET: 'b', CARD_SIGNING_SEED: 'c', STAFF_API_KEY: 'd', COOKIE_SECRET: 'e' } });
    try {
      const made = await createStaffAccount(prod.db, { username: 'prod-admin', password: PASSWORD, roles: ['admin'], withTotp: true }, { actor: 'test', at: prod.clock.now() });
      const totp = URI.parse(made?.otpauthUri ?? '');
      const client = portalClient(prod);
      const form = await client.get('/staff/masuk');
      expect(form.html).toMatch(/<input[^>]*name="totp"[^>]*required/);
      const missing = await client.submit('/staff/masuk', '/staff/masuk', { username: 'prod-admin', password: PASSWORD, totp: '' }, { follow: false });
      expect(missing.status).toBe(422);
      expect(textOf(missing.html)).toContain('Isi kode autentikator.');
      const ok = await client.submit('/staff/masuk', '/staff/masuk', { username: 'prod-admin', password: PASSWORD, totp: totp.generate({ timestamp: prod.clock.now().getTime() }) }, { follow: false });
      expect(ok.status, textOf(ok.html)).toBe(303);
      const cookie = ok.headers.getSetCookie().find((l) => l.startsWith('lindung_staf='))!;
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
    } finally {
      await prod.close();
    }
  });

  it('failed sign-ins count in staff-auth-failure-ip: once full, even the right password gets the 429 page', async () => {
    const limited = await createTestApp({ env: { RATE_LIMITS: 'staff-auth-failure-ip=3/900' } });
    try {
      expect((await limited.post('/dev/staff', { username: 'batas-satu', password: PASSWORD, roles: ['admin'] })).status).toBe(201);
      const client = portalClient(limited);
      for (const username of ['tidak-ada-1', 'tidak-ada-2', 'tidak-ada-3']) {
        expect((await client.submit('/staff/masuk', '/staff/masuk', { username, password: 'salah', totp: '' }, { follow: false })).status).toBe(401);
      }
      const refused = await client.submit('/staff/masuk', '/staff/masuk', { username: 'batas-satu', password: PASSWORD, totp: '' }, { follow: false });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(textOf(refused.html)).toContain('Terlalu banyak permintaan');
    } finally {
      await limited.close();
    }
  });
});
