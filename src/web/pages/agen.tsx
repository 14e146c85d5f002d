import { createHash } from 'node:crypto';
import { masterDataSigner } from '../../modules/agents/index.js';
import type { PortalDeps, PortalPage } from '../context.js';
import { webManifest } from './manifest.js';

/**
 * The PERISAI agent's offline app (issue 17 item 5): the ONE part of the portal that needs JavaScript — an app that
 * takes forms with no network cannot work without it. GET /agen/ is the shell (every view's markup, shown and hidden
 * by agen.js); /agen/sw.js the service worker (cache-first for the shell, network-first for the API, the signed
 * master-data snapshot kept for offline use); /agen/manifest.webmanifest makes it installable. Indonesian only: the
 * agents are field workers in Indonesia (docs/agent-guide.md "Aplikasi agen (offline)").
 */

/** The files the service worker keeps: the shell, its script, styles and icons (hashed URLs, so a new release has new ones). */
function shellFiles(p: PortalDeps): string[] {
  return ['/agen/', '/agen/manifest.webmanifest', ...['agen.js', 'agen-core.js', 'lindung.css', 'agen.css', 'icon.svg', 'icon-192.png'].map((n) => p.assets.url(n))];
}

/** The cache names carry this: a release whose shell files changed installs a new cache and drops the old one. */
function shellVersion(p: PortalDeps): string {
  return createHash('sha256').update(shellFiles(p).join('\n')).update(SW_SOURCE).digest('hex').slice(0, 12);
}

const SW_SOURCE = `
const SHELL = 'agen-shell-' + VERSION;
const DATA = 'agen-data-v1';
self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: 'reload' })))).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('agen-shell-') && k !== SHELL).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    // Network first; the last good answer (the master-data snapshot, its key) when there is no network.
    e.respondWith(fetch(e.request).then((res) => {
      if (res.ok && url.pathname.startsWith('/api/v1/agent/master-data')) {
        const copy = res.clone();
        caches.open(DATA).then((c) => c.put(e.request, copy));
      }
      return res;
    }).catch(() => caches.open(DATA).then((c) => c.match(e.request)).then((hit) => hit || Response.error())));
    return;
  }
  // A server page under the scope (e.g. /agen/insentif): the network, never the app's shell.
  const app = url.pathname === '/agen/' || url.pathname === '/agen';
  if (e.request.mode === 'navigate' && !app) return;
  // The shell: cache first, the network for anything else.
  const key = app && e.request.mode === 'navigate' ? '/agen/' : e.request;
  e.respondWith(caches.open(SHELL).then((c) => c.match(key)).then((hit) => hit || fetch(e.request)));
});
`;

function shell(p: PortalDeps) {
  const key = masterDataSigner(p.deps.config.cardSigningSeed).publicKeyRaw;
  return (
    <html lang="id">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Aplikasi Agen PERISAI · Lindung</title>
        <meta name="theme-color" content="#00693e" />
        <link rel="manifest" href="/agen/manifest.webmanifest" />
        <link rel="icon" href={p.assets.url('icon.svg')} type="image/svg+xml" />
        <link rel="apple-touch-icon" href={p.assets.url('icon-192.png')} />
        <link rel="stylesheet" href={p.assets.url('lindung.css')} />
        <link rel="stylesheet" href={p.assets.url('agen.css')} />
        <script type="module" src={p.assets.url('agen.js')}></script>
      </head>
      <body data-agen-app="" data-core={p.assets.url('agen-core.js')} data-master-key={key} data-dev={p.deps.config.isDevelopment ? '1' : undefined}>
        <a class="skip" href="#isi">
          Langsung ke isi
        </a>
        <header class="site-header">
          <span class="brand">
            <span aria-hidden="true" class="brand-mark">
              ◆
            </span>
            Agen PERISAI
          </span>
          <span id="jaringan" class="net" role="status">
            Memuat…
          </span>
          <nav aria-label="Menu agen" id="menu" hidden>
            <ul>
              <li><a href="#beranda">Beranda</a></li>
              <li><a href="#daftar">Daftarkan pekerja</a></li>
              <li><a href="#iuran">Terima iuran</a></li>
              <li><a href="#catatan">Catatan</a></li>
            </ul>
          </nav>
        </header>
        <main id="isi" tabindex={-1}>
          <noscript>
            <p class="notice notice-bad">Aplikasi agen memerlukan JavaScript: aplikasi ini bekerja tanpa sinyal dan menyimpan formulir di HP. Aktifkan JavaScript di peramban.</p>
          </noscript>
          <p id="pesan" class="notice" role="status" hidden></p>
          {signInView()}
          {homeView()}
          {enrolView()}
          {collectView()}
          {recordsView()}
        </main>
      </body>
    </html>
  );
}

function signInView() {
  return (
    <section id="v-masuk" hidden aria-labelledby="h-masuk">
      <h1 id="h-masuk">Masuk sebagai agen</h1>
      <p>Masuk dengan nomor HP Anda sebagai peserta. Setelah masuk, aplikasi bisa dipakai tanpa sinyal.</p>
      <form id="f-otp" class="card">
        {input('masuk-hp', 'phone', 'Nomor HP', { type: 'tel', autocomplete: 'tel', required: true })}
        <button type="submit">Kirim kode</button>
      </form>
      <form id="f-kode" class="card" hidden>
        {input('masuk-kode', 'code', 'Kode dari SMS', { inputmode: 'numeric', autocomplete: 'one-time-code', required: true })}
        <button type="submit">Masuk</button>
      </form>
    </section>
  );
}

function homeView() {
  return (
    <section id="v-beranda" hidden aria-labelledby="h-beranda">
      <h1 id="h-beranda">Beranda agen</h1>
      <dl class="facts card">
        <dt>Kode agen</dt>
        <dd id="kode-agen">—</dd>
        <dt>Menunggu kirim</dt>
        <dd id="n-menunggu">0</dd>
        <dt>Diterima</dt>
        <dd id="n-diterima">0</dd>
        <dt>Ditolak</dt>
        <dd id="n-ditolak">0</dd>
        <dt>Terakhir sinkron</dt>
        <dd id="sinkron">Belum pernah</dd>
        <dt>Uang tunai belum disetor</dt>
        <dd id="tunai">Rp0</dd>
        <dt>Data induk</dt>
        <dd id="data-induk">Belum ada</dd>
      </dl>
      <p class="actions">
        <button type="button" id="kirim">Kirim sekarang</button>
        <a class="btn btn-secondary" href="#daftar">Daftarkan pekerja</a>
        <a class="btn btn-secondary" href="#iuran">Terima iuran</a>
      </p>
      <p>
        <button type="button" class="btn-link" id="keluar">Keluar</button>
      </p>
    </section>
  );
}

/** A labelled input; `id` is the element id, `name` the form field. */
function input(id: string, name: string, label: string, extra: Record<string, string | boolean> = {}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type="text" id={id} name={name} {...extra} />
    </div>
  );
}

/** A labelled select that agen.js fills from the snapshot or the outbox. */
function select(id: string, name: string, label: string, extra: Record<string, string | boolean> = {}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} {...extra}></select>
    </div>
  );
}

function enrolView() {
  const text = (id: string, label: string, extra: Record<string, string> = {}) => input(`d-${id}`, id, label, { required: true, ...extra });
  return (
    <section id="v-daftar" hidden aria-labelledby="h-daftar">
      <h1 id="h-daftar">Daftarkan pekerja</h1>
      <p>Periksa KTP pekerja. Formulir tersimpan di HP dan dikirim saat ada sinyal.</p>
      <form id="f-daftar" class="card">
        {text('nik', 'NIK (16 angka, dari KTP)', { inputmode: 'numeric', maxlength: '16', autocomplete: 'off' })}
        {text('fullName', 'Nama lengkap (sesuai KTP)')}
        {text('birthDate', 'Tanggal lahir', { type: 'date' })}
        <fieldset class="field choices inline">
          <legend>Jenis kelamin</legend>
          <span class="choice"><input type="radio" id="d-g-m" name="gender" value="M" required /><label for="d-g-m">Laki-laki</label></span>
          <span class="choice"><input type="radio" id="d-g-f" name="gender" value="F" /><label for="d-g-f">Perempuan</label></span>
        </fieldset>
        {text('phone', 'Nomor HP pekerja (untuk SMS)', { type: 'tel', autocomplete: 'off' })}
        {input('d-email', 'email', 'Email pekerja (boleh kosong)', { type: 'email', autocomplete: 'off' })}
        {text('address', 'Alamat')}
        {select('d-occupationCode', 'occupationCode', 'Pekerjaan', { required: true })}
        {select('d-branchCode', 'branchCode', 'Kantor cabang (boleh kosong: cabang Kantor Perisai)')}
        <fieldset class="field">
          <legend>Program</legend>
          <span class="choice"><input type="checkbox" id="d-jkk" name="programs" value="JKK" checked disabled /><label for="d-jkk">JKK (wajib)</label></span>
          <span class="choice"><input type="checkbox" id="d-jkm" name="programs" value="JKM" checked disabled /><label for="d-jkm">JKM (wajib)</label></span>
          <span class="choice"><input type="checkbox" id="d-jht" name="programs" value="JHT" /><label for="d-jht">JHT (pilihan)</label></span>
        </fieldset>
        {text('declaredIncome', 'Penghasilan sebulan (Rp)', { inputmode: 'numeric' })}
        {select('d-months', 'months', 'Bayar untuk berapa bulan')}
        <p class="card iuran" id="d-iuran" aria-live="polite">
          Iuran: —
        </p>
        <button type="submit">Simpan pendaftaran</button>
      </form>
    </section>
  );
}

function collectView() {
  return (
    <section id="v-iuran" hidden aria-labelledby="h-iuran">
      <h1 id="h-iuran">Terima iuran</h1>
      <p>Terima uang tunai dari pekerja. Pekerja mendapat SMS kuitansi dengan kode periksa setelah terkirim.</p>
      <form id="f-iuran" class="card">
        {select('i-siapa', 'enrolCommandId', 'Pekerja yang didaftarkan di HP ini')}
        {input('i-kpj', 'kpj', 'Atau nomor KPJ peserta', { inputmode: 'numeric', autocomplete: 'off' })}
        {select('i-months', 'months', 'Jumlah bulan')}
        {input('i-amount', 'amount', 'Jumlah uang diterima (Rp)', { inputmode: 'numeric', required: true })}
        <button type="submit">Simpan penerimaan</button>
      </form>
    </section>
  );
}

function recordsView() {
  return (
    <section id="v-catatan" hidden aria-labelledby="h-catatan">
      <h1 id="h-catatan">Catatan</h1>
      <p>"Sementara" berarti belum diterima server: data itu belum berlaku sampai terkirim dan diterima.</p>
      <ol id="daftar-catatan" class="records"></ol>
    </section>
  );
}

/** GET /agen/ (the shell), /agen/sw.js, /agen/manifest.webmanifest. */
export const agenPage: PortalPage = (app, p) => {
  app.get('/agen', (c) => c.redirect('/agen/', 308));
  app.get('/agen/', (c) => c.html(`<!doctype html>${String(shell(p))}`));
  app.get('/agen/sw.js', (c) => {
    const head = `const VERSION = ${JSON.stringify(shellVersion(p))};\nconst FILES = ${JSON.stringify(shellFiles(p))};\n`;
    return c.body(head + SW_SOURCE, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
  });
  app.get('/agen/manifest.webmanifest', (c) =>
    webManifest(c, p, {
      name: 'Agen PERISAI — Lindung',
      short_name: 'Agen PERISAI',
      description: 'Daftarkan pekerja dan terima iuran BPJS Ketenagakerjaan BPU, juga tanpa sinyal.',
      id: '/agen/',
      start_url: '/agen/',
      scope: '/agen/',
    }),
  );
};
