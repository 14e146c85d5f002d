import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on loopback (bound and released; the tiny race is acceptable for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS (current) and VmHWM (peak) of one process, from /proc/<pid>/status. */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

/** VmRSS of one process sampled on a timer during a phase: the peak and the steady level under load. */
export interface MemorySamples {
  /** Highest VmRSS sampled. */
  peakMiB: number;
  /** Median VmRSS of the samples in the second half of the sampled span: the level the load settles at. */
  steadyMiB: number;
  /** VmHWM when sampling stopped: the peak since the process started (start-up included). */
  hwmMiB: number;
  samples: number;
}

/**
 * Samples VmRSS of `pid` every `intervalMs` (250 ms) until `stop()`, which takes a last sample and returns the peak
 * and steady levels. The timer runs in this process (the load generator), reading /proc, so the server is not touched.
 */
export function startMemorySampler(pid: number, intervalMs = 250): { stop(): MemorySamples } {
  const rss: number[] = [];
  let hwm = NaN;
  const sample = () => {
    try {
      const m = readMemory(pid);
      rss.push(m.rssMiB);
      hwm = m.hwmMiB;
    } catch {
      // the process ended
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const tail = rss.slice(Math.floor(rss.length / 2)).sort((a, b) => a - b);
      return {
        peakMiB: rss.length > 0 ? Math.max(...rss) : NaN,
        steadyMiB: tail.length > 0 ? (tail[Math.floor(tail.length / 2)] as number) : NaN,
        hwmMiB: hwm,
        samples: rss.length,
      };
    },
  };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) {
        out.push(Number(name));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export interface ServerProcess {
  /** The process we spawned: `node <flags> dist/src/main.js`, the server itself (no wrapper in between). */
  wrapperPid: number;
  /** The node process that runs the server: the one whose memory is the server's (the same as wrapperPid). */
  serverPid: number;
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const REPO = join(import.meta.dirname, '..');

/**
 * The Node flags the server runs with: those that package.json's start script gives node before the entry point —
 * `node --max-semi-space-size=16 --liftoff-only dist/src/main.js` gives both — so the benchmark measures the process
 * `npm start` runs. BENCH_NODE_FLAGS replaces them (space-separated; empty for none), to try flags first.
 */
export function serverNodeFlags(): string[] {
  const override = process.env['BENCH_NODE_FLAGS'];
  if (override !== undefined) {
    return override.split(/\s+/).filter((x) => x !== '');
  }
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const flags = /(?:^|\s)(?:node|tsx)((?:\s+--\S+)*)\s/.exec(pkg.scripts?.start ?? '')?.[1] ?? '';
  return flags.split(/\s+/).filter((x) => x !== '');
}

let built = false;

/** `npm run build` once per benchmark run, so the server measured is the compiled one `npm start` runs. */
function ensureBuilt(): void {
  if (!built) {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO, stdio: 'inherit' });
    built = true;
  }
}

/**
 * Starts the real server (`node dist/src/main.js` with serverNodeFlags(), what `npm start` runs after its build) as a
 * child process with the given environment and waits for /healthz.
 */
export async function startServer(env: Record<string, string>, port: number, onSpawn: (pid: number) => void = () => {}): Promise<ServerProcess> {
  ensureBuilt();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !['DATABASE_URL', 'DATA_DIR', 'DATABASE_POOL_SIZE', 'NODE_ENV'].includes(k)) {
      childEnv[k] = v;
    }
  }
  const child: ChildProcess = spawn(process.execPath, [...serverNodeFlags(), 'dist/src/main.js'], {
    cwd: REPO,
    env: { ...childEnv, HOST: '127.0.0.1', PORT: String(port), WORKER: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null = null;
  const exitPromise = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exited = code ?? signal ?? 'exit'), resolve())));
  const wrapperPid = child.pid;
  if (wrapperPid === undefined) {
    throw new Error('could not spawn the server');
  }
  onSpawn(wrapperPid);
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (exited !== null) {
      return;
    }
    // SIGTERM: the server drains, closes its database (PGlite flushes) and exits.
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref());
    if ((await Promise.race([exitPromise, timeout])) === 'timeout') {
      for (const pid of [...childrenOf(wrapperPid), wrapperPid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exitPromise;
    }
  };

  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exited !== null) {
        throw new Error(`server exited (${exited}) before it was healthy:\n${log}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`server not healthy after 90 s:\n${log}`);
      }
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) {
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    return { wrapperPid, serverPid: wrapperPid, baseUrl, output: () => log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ------------------------------------------------------------------------------------------ CPU accounting

const TICK_MS = 10; // USER_HZ is 100 on Linux

function parentMap(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone
    }
  }
  return kids;
}

function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime + cutime + cstime: a child that exited and was reaped (a pgbench run, a backend whose client
    // disconnected) moves its CPU into its parent's cutime/cstime, so the tree's total stays whole.
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
  } catch {
    return 0;
  }
}

function treeCpuMs(root: number, kids: Map<number, number[]>): number {
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    sum += processCpuMs(pid);
    stack.push(...(kids.get(pid) ?? []));
  }
  return sum;
}

function systemCpuMs(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy * TICK_MS, total: (busy + idle + iowait) * TICK_MS };
}

/** CPU used during a phase, in % of ONE core (the machine has availableParallelism() × 100 %). */
export interface CpuUse {
  loadgen: number;
  server: number;
  postgres: number;
  others: number;
  machineBusy: number;
}

/** Processes whose CPU we attribute: this process (autocannon runs here), the server's tree, the PostgreSQL tree. */
export interface CpuGroups {
  server?: number;
  postgres?: number;
  /** Count this process's children (e.g. pgbench) as load generator too. */
  loadgenTree?: boolean;
}

export function startCpuProbe(groups: CpuGroups): () => CpuUse {
  const snap = () => {
    const kids = parentMap();
    return {
      at: performance.now(),
      sys: systemCpuMs(),
      loadgen: groups.loadgenTree ? treeCpuMs(process.pid, kids) : processCpuMs(process.pid),
      server: groups.server ? treeCpuMs(groups.server, kids) : 0,
      postgres: groups.postgres ? treeCpuMs(groups.postgres, kids) : 0,
    };
  };
  const a = snap();
  return () => {
    const b = snap();
    const wall = b.at - a.at;
    const pct = (ms: number) => (100 * ms) / wall;
    const ours = b.loadgen - a.loadgen + (b.server - a.server) + (b.postgres - a.postgres);
    return {
      loadgen: pct(b.loadgen - a.loadgen),
      server: pct(b.server - a.server),
      postgres: pct(b.postgres - a.postgres),
      others: Math.max(0, pct(b.sys.busy - a.sys.busy - ours)),
      machineBusy: pct(b.sys.busy - a.sys.busy),
    };
  };
}

/** Mean CPU use of everything on the machine over `ms`, in % of one core. */
export async function backgroundCpu(ms: number): Promise<number> {
  const a = systemCpuMs();
  const t = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const b = systemCpuMs();
  return (100 * (b.busy - a.busy)) / (performance.now() - t);
}
