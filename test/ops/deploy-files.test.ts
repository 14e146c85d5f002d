import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

/*
 * The Dockerfile and the systemd unit cannot be run here (no Docker engine, no systemd as PID 1): these checks keep
 * them true to the repository — every command they run exists, every file they copy is there, they start what the
 * build produces, in production mode, as a non-root user.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const dockerfile = readFileSync('Dockerfile', 'utf8');
const unit = readFileSync('deploy/lindung.service', 'utf8');
const BUILT_MAIN = 'dist/src/main.js';
/** The Node flags every start of the server passes (README, "Memory"). */
const START_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=160', '--liftoff-only'];

/** Dockerfile instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n(\s*#.*\n)*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.join('\n').split(/^FROM /m).slice(1).map((s) => `FROM ${s}`.split('\n'));
const runtime = stages.at(-1)!;
const unitValues = (key: string) => unit.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('Dockerfile', () => {
  it('is multi-stage: the build stage installs every dependency and runs `npm run build`, which package.json has', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!.join('\n');
    expect(build).toContain('RUN npm ci');
    const scripts = [...dockerfile.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]!);
    expect(scripts).toContain('build');
    for (const script of scripts) {
      expect(pkg.scripts, `npm run ${script}`).toHaveProperty(script);
    }
    expect(pkg.scripts['build']).toContain('tsconfig.build.json');
  });

  it('copies only files that exist and are not excluded by .dockerignore', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'migrations', 'tsconfig.build.json']));
    for (const source of sources) {
      expect(existsSync(source), source).toBe(true);
      expect(ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is in .dockerignore`).toBe(false);
    }
    // Everything the build reads: the build config's inputs and the asset copier.
    const buildConfig = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { include: string[] };
    for (const input of [...buildConfig.include, 'tsconfig.json', ...pkg.scripts['build']!.split(' ').filter((w) => w.startsWith('scripts/'))]) {
      expect(sources.some((s) => input === s || input.startsWith(`${s}/`) || s.startsWith(`${input}`)), `${input} copied`).toBe(true);
    }
  });

  it('runs the compiled server as npm start does, in production, as a non-root user, with a health check on /healthz', () => {
    expect(runtime.join('\n')).not.toMatch(/RUN npm (ci|install)/);
    // The same Node flags as npm start (README, "Memory").
    const flags = START_FLAGS.map((f) => `"${f}", `).join('');
    expect(runtime).toContain(`CMD ["node", ${flags}"${BUILT_MAIN}"]`);
    expect(pkg.scripts['start']).toContain(`node ${[...START_FLAGS, BUILT_MAIN].join(' ')}`);
    expect(runtime).toContain('COPY --from=build /app/dist dist');
    expect(runtime.join('\n')).toMatch(/ENV NODE_ENV=production\b/);
    const user = runtime.find((l) => l.startsWith('USER '))?.slice(5);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).toContain('EXPOSE 3000');
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/healthz');
  });
});

describe('deploy/lindung.service (systemd)', () => {
  it('starts the compiled server with the Node 24 of the `node` dependency, as a service user, in production', () => {
    const [exec] = unitValues('ExecStart');
    expect(exec).toBe(`/opt/lindung/node_modules/node/bin/node ${START_FLAGS.join(' ')} /opt/lindung/${BUILT_MAIN}`);
    const node = spawnSync('node_modules/node/bin/node', ['--version'], { encoding: 'utf8' });
    expect(node.stdout).toMatch(/^v24\./);
    expect(unitValues('WorkingDirectory')).toEqual(['/opt/lindung']);
    expect(unitValues('User')).toEqual(['lindung']);
    expect(unitValues('Environment')).toContain('NODE_ENV=production');
    expect(unitValues('EnvironmentFile')).toEqual(['/etc/lindung/lindung.env']);
  });

  it('is hardened: no privileges, read-only system, private /tmp and devices; keeps what V8 needs', () => {
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
    ]) {
      expect(unitValues(key!), key).toEqual([value]);
    }
    expect(unitValues('MemoryDenyWriteExecute')).toEqual([]); // would kill V8's JIT
  });

  it('has an example environment file that is a complete production configuration', () => {
    const env = Object.fromEntries(
      readFileSync('deploy/lindung.env.example', 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const config = loadConfig({ ...env, NODE_ENV: 'production', DATA_DIR: '/var/lib/lindung' });
    expect(config).toMatchObject({ env: 'production', isDevelopment: false, publicBaseUrl: expect.stringMatching(/^https:\/\//) });
    expect(config.metricsToken).toBeDefined();
  });
});
