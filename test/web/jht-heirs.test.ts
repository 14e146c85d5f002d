import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeMember, latestData } from '../support/factories.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The member area's "Saldo JHT" (/akun/jht) and "Ahli waris" (/akun/ahli-waris) pages through the real app: the
 * balance, the entries in Indonesian and the SVG chart with its title and description; the heirs list, adding,
 * editing and removing one by plain forms (Post/Redirect/Get), and a refused form whose errors and answers survive
 * the redirect. JHT: 2% of Rp1.000.000 = Rp20.000 a month.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Client = ReturnType<typeof portalClient>;

async function signedIn(programs = ['JKK', 'JKM', 'JHT']): Promise<{ client: Client; kpj: string }> {
  const member = await activeMember(t, { programs, declaredIncome: 1_000_000, months: 1 });
  t.clock.advance(61_000);
  const client = portalClient(t);
  expect((await client.submit('/masuk', '/masuk', { phone: member.person.phone }, { follow: false })).location).toBe('/masuk/kode');
  const done = await client.submit('/masuk/kode', '/masuk/kode', { code: await latestData(t, member.person.phone, 'otp') }, { follow: false });
  expect(done.location).toBe('/akun');
  return { client, kpj: member.kpj };
}

describe('/akun/jht — Saldo JHT', () => {
  it('signed out: back to sign-in', async () => {
    const res = await portalClient(t).get('/akun/jht');
    expect([res.status, res.location]).toEqual([303, '/masuk']);
  });

  it('shows the balance, the accrual, the chart and the entries; the account page links to it', async () => {
    const { client } = await signedIn();
    expect((await client.get('/akun')).html).toContain('href="/akun/jht"');
    const page = await client.get('/akun/jht');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Saldo JHT');
    expect(text).toContain('Rp20.000');
    expect(text).toContain('Iuran JHT');
    expect(page.html.slice(page.html.indexOf('<main'))).toContain('<svg'); // the header's logo mark is an inline SVG too
    expect(page.html).toContain('<title id="saldo-jht-grafik-judul">Saldo JHT dari waktu ke waktu</title>');
    expect(page.html).toMatch(/<desc id="saldo-jht-grafik-desc">Grafik tangga saldo JHT dari [^<]*Rp20\.000 sekarang/);
    expect(page.html).toContain('<polyline');
    expect(page.html).not.toMatch(/\sstyle=/);
    expect(gzipSync(page.html).length).toBeLessThan(50 * 1024);
    const en = textOf((await client.open('/akun/jht?lang=en')).html);
    expect(en).toContain('JHT contribution');
  });

  it('a member without JHT sees an empty history and no chart', async () => {
    const { client } = await signedIn(['JKK', 'JKM']);
    const page = await client.get('/akun/jht');
    expect(textOf(page.html)).toContain('Belum ada iuran JHT.');
    expect(page.html.slice(page.html.indexOf('<main'))).not.toContain('<svg'); // the header's logo mark is an inline SVG
  });
});

describe('/akun/ahli-waris — Ahli waris', () => {
  it('signed out: back to sign-in', async () => {
    const res = await portalClient(t).get('/akun/ahli-waris');
    expect([res.status, res.location]).toEqual([303, '/masuk']);
  });

  it('adds two heirs, edits one, removes one; a refused form keeps its answers and errors across the redirect', async () => {
    const { client } = await signedIn(['JKK', 'JKM']);
    expect(textOf((await client.get('/akun/ahli-waris')).html)).toContain('Belum ada ahli waris.');

    const added = await client.submit('/akun/ahli-waris', '/akun/ahli-waris', { fullName: 'Siti Aminah', relationship: 'spouse', birthDate: '1992-03-04', phone: '0812 3456 7891', nik: '3275014403920002' }, { follow: false });
    expect([added.status, added.location]).toEqual([303, '/akun/ahli-waris?disimpan=1']);
    await client.submit('/akun/ahli-waris', '/akun/ahli-waris', { fullName: 'Rina Santoso', relationship: 'child', birthDate: '2015-07-01', phone: '', nik: '' });
    let page = await client.get('/akun/ahli-waris?disimpan=1');
    let text = textOf(page.html);
    expect(text).toContain('Data ahli waris disimpan.');
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('3275********0002');
    expect(page.html).not.toContain('3275014403920002');
    expect(text).toContain('Rina Santoso');

    // A wrong birth date: 303 back to the form, which shows the error and what was typed.
    const rina = /href="\/akun\/ahli-waris\?ubah=([^"#]+)#form-ahli-waris" aria-label="Ubah Rina Santoso"/.exec(page.html)?.[1];
    expect(rina).toBeTruthy();
    const refused = await client.submit(`/akun/ahli-waris?ubah=${rina}`, '/akun/ahli-waris', { id: rina!, fullName: 'Rina Putri Santoso', relationship: 'child', birthDate: '2099-01-01', phone: '', nik: '' }, { follow: false });
    expect([refused.status, refused.location]).toEqual([303, `/akun/ahli-waris?ubah=${rina}`]);
    page = await client.get(refused.location!);
    text = textOf(page.html);
    expect(text).toContain('Tanggal lahir tidak valid');
    expect(page.html).toContain('value="Rina Putri Santoso"');
    expect(page.html).toContain('aria-invalid="true"');
    // Shown once: the next visit is a fresh form.
    expect(textOf((await client.get('/akun/ahli-waris')).html)).not.toContain('Tanggal lahir tidak valid');

    await client.submit(`/akun/ahli-waris?ubah=${rina}`, '/akun/ahli-waris', { id: rina!, fullName: 'Rina Putri Santoso', relationship: 'child', birthDate: '2015-07-02', phone: '', nik: '' });
    text = textOf((await client.get('/akun/ahli-waris')).html);
    expect(text).toContain('Rina Putri Santoso');
    expect(text).not.toContain('Rina Santoso');
    expect(text).toContain('3275********0002');

    // Rina moves up to first place; Siti keeps her NIK.
    const moved = await client.submit('/akun/ahli-waris', '/akun/ahli-waris/naik', { id: rina! }, { follow: false });
    expect(moved.location).toBe('/akun/ahli-waris?dinaikkan=1');
    page = await client.get('/akun/ahli-waris?dinaikkan=1');
    text = textOf(page.html);
    expect(text).toContain('Urutan ahli waris diubah.');
    expect(text.indexOf('Rina Putri Santoso')).toBeLessThan(text.indexOf('Siti Aminah'));
    expect(text).toContain('3275********0002');
    expect(page.html).toContain('aria-label="Naikkan Siti Aminah ke urutan 1"');

    const removed = await client.submit('/akun/ahli-waris', '/akun/ahli-waris/hapus', { id: rina! }, { follow: false });
    expect(removed.location).toBe('/akun/ahli-waris?dihapus=1');
    text = textOf((await client.get('/akun/ahli-waris?dihapus=1')).html);
    expect(text).toContain('Ahli waris dihapus.');
    expect(text).not.toContain('Rina Putri Santoso');
    expect(text).toContain('Siti Aminah');
  });
});
