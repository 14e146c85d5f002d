import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PRODUCTION_NIK_KEYS } from '../support/test-app.js';

/*
 * The build output as production runs it (Docker, systemd): `npm run build`, then `node dist/src/main.js` on Node 24
 * with NODE_ENV unset, no tsx, an embedded database in a temporary DATA_DIR and a free port.
 */
const MAIN = 'dist/src/main.js';
const PRODUCTION_ENV = {
  PAYMENT_WEBHOOK_SECRET: 'build-test-webhook',
  OTP_SECRET: 'build-test-otp',
  CARD_SIGNING_SEED: 'build-test-seed',
  STAFF_API_KEY: 'build-test-staff',
  COOKIE_SECRET: 'build-test-cookie',
  PUBLIC_BASE_URL: 'https://lindung.example',
  ...TEST_PRODUCTION_NIK_KEYS,
};

let dataDir: string;
let server: ChildProcess | undefined;
let origin: string;
const stdout: string[] = [];

/** The JSON lines the server has written so far. */
const logLines = (): Record<string, unknown>[] =>
  stdout
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  // Incremental: a few seconds when dist/ is up to date (CI builds before the tests), about a minute from nothing.
  const build = spawnSync('npm', ['run', '-s', 'build'], { encoding: 'utf8', timeout: 240_000 });
  expect(build.status, `npm run build failed:\n${build.stdout}\n${build.stderr}`).toBe(0);
  expect(existsSync(MAIN)).toBe(true);

  dataDir = mkdtempSync(join(tmpdir(), 'lindung-build-'));
  server = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, WORKER: 'off', ...PRODUCTION_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Lindung listening" within 60 s; stderr:\n${stderr}`)), 60_000);
    server!.once('exit', (code) => reject(new Error(`server exited with ${code}; stderr:\n${stderr}`)));
    server!.stdout!.on('data', () => {
      const listening = logLines().find((l) => l['msg'] === 'Lindung listening');
      if (listening) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${new URL(String(listening['url'])).port}`);
      }
    });
  });
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the built server (node dist/src/main.js), NODE_ENV unset', () => {
  it('runs on Node 24 without tsx, in production mode, on the embedded database', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    const listening = logLines().find((l) => l['msg'] === 'Lindung listening');
    expect(listening).toMatchObject({ mode: 'production', database: `embedded (${dataDir})` });
  });

  it('answers /healthz, serves a portal page and the assets it links to (read from dist/)', async () => {
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<html lang="id"');
    // The stylesheet is inlined in <head> (slow 3G, docs/performance.md), read from dist/ at start; it is also served
    // under its content hash for the pages that link it. The icon is a linked asset.
    expect(html).toMatch(/<style>[^<]{100,}<\/style>/);
    const icon = /href="(\/aset\/[0-9a-f]{10}\/icon\.svg)"/.exec(html)?.[1];
    expect(icon).toBeDefined();
    const asset = await fetch(`${origin}${icon}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('image/svg+xml');
    expect((await asset.text()).length).toBeGreaterThan(100);
  });

  it('has no development endpoints: /dev/outbox and /dev/clock are 404', async () => {
    for (const path of ['/dev/outbox?to=budi@contoh.id', '/dev/clock']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('refuses to start without the production settings: exit code 1 and the reason on stderr', () => {
    const run = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env['PATH'], PORT: '0', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('production refuses development default secrets: set PAYMENT_WEBHOOK_SECRET');
    const noHttps = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env['PATH'], PORT: '0', DATA_DIR: dataDir, ...PRODUCTION_ENV, PUBLIC_BASE_URL: 'http://lindung.example' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(noHttps.status).toBe(1);
    expect(noHttps.stderr).toContain("production needs PUBLIC_BASE_URL, the server's public https:// address");
  });
});
