import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Before the suite: when Chromium is missing (a fresh machine), install it with scripts/ensure-chromium.sh so that
 * `npm test` runs the browser tests too. Only warns when that fails, so the rest of the suite still runs; the browser
 * tests then fail in launchBrowser() with what to do.
 */
export default function setup(): void {
  const path = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
  if (existsSync(path)) {
    return;
  }
  const script = join(import.meta.dirname, '..', '..', '..', 'scripts', 'ensure-chromium.sh');
  process.stderr.write(`browser tests: Chromium not found at ${path}; running scripts/ensure-chromium.sh\n`);
  const run = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0 || !existsSync(path)) {
    process.stderr.write(
      `browser tests: could not install Chromium (exit ${run.status ?? run.signal}); test/browser will fail. ` +
        'Run `bash scripts/ensure-chromium.sh` as root, or set CHROMIUM_PATH.\n',
    );
  }
}
