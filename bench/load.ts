import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import { hmacSha256Hex } from '../src/shared/crypto.js';
import { startCpuProbe, type CpuGroups, type CpuUse } from './proc.js';
import type { SeededBill } from './seed.js';

export interface PhaseResult {
  name: string;
  durationSec: number;
  requests: number;
  reqPerSecMean: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU during the measured run, % of one core, by process group. */
  cpu?: CpuUse;
  /** Notifications only: responses {"status":"applied"}, and those that were not. */
  applied?: number;
  notApplied?: number;
  notAppliedSamples?: string[];
}

/** Every run is bounded in time (duration, hard stop 30 s later) and, for notifications, in count. */
function run(opts: AutocannonOptions): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const instance = autocannon({ timeout: 10, pipelining: 1, ...opts }, (err, result) => {
      settled = true;
      clearTimeout(guard);
      if (err) {
        reject(err);
      } else {
        resolve(result);
      }
    });
    const guard = setTimeout(() => {
      if (!settled) {
        instance.stop();
      }
    }, ((opts.duration ?? 10) + 30) * 1000);
  });
}

/** One bounded autocannon run with the CPU of each process group measured over it. */
export async function measuredRun(s: LoadSettings, opts: AutocannonOptions): Promise<{ result: AutocannonResult; cpu: CpuUse | undefined }> {
  const probe = s.cpu ? startCpuProbe(s.cpu) : null;
  const result = await run(opts);
  return { result, cpu: probe?.() };
}

export function toPhase(name: string, r: AutocannonResult, cpu?: CpuUse): PhaseResult {
  return {
    name,
    durationSec: r.duration,
    requests: r.requests.total,
    reqPerSecMean: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMaxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    ...(cpu ? { cpu } : {}),
  };
}

export interface LoadSettings {
  baseUrl: string;
  cpu?: CpuGroups;
  connections: number;
  warmupSec: number;
  durationSec: number;
}

export async function measureGet(s: LoadSettings, name: string, path: string): Promise<PhaseResult> {
  const opts: AutocannonOptions = { url: `${s.baseUrl}${path}`, connections: s.connections };
  await run({ ...opts, duration: s.warmupSec });
  const m = await measuredRun(s, { ...opts, duration: s.durationSec });
  return toPhase(name, m.result, m.cpu);
}

export async function measurePost(s: LoadSettings, name: string, path: string, body: unknown): Promise<PhaseResult> {
  const opts: AutocannonOptions = {
    url: `${s.baseUrl}${path}`,
    connections: s.connections,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
  await run({ ...opts, duration: s.warmupSec });
  const m = await measuredRun(s, { ...opts, duration: s.durationSec });
  return toPhase(name, m.result, m.cpu);
}

const CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const;

/**
 * Payment notifications, each settling its own prepared bill: setupRequest takes the next unused bill and signs the
 * body (hex HMAC-SHA256 of the raw body, the X-Signature the route checks); onResponse counts every answer that was
 * not {"status":"applied"}. A request is built per bill, so a bill is never sent twice; the run stops before the
 * prepared bills run out (maxOverallRequests).
 */
export class NotificationLoad {
  #next = 0;
  readonly #runId = Math.random().toString(36).slice(2, 8);

  constructor(
    private readonly bills: readonly SeededBill[],
    private readonly secret: string,
  ) {}

  async measure(s: LoadSettings, name: string, seconds: number): Promise<PhaseResult> {
    let notApplied = 0;
    let appliedCount = 0;
    const samples: string[] = [];
    // Each connection builds its next request ahead (a bill taken but never sent): keep a margin of two per connection.
    const left = this.bills.length - this.#next - 2 * s.connections;
    if (left < s.connections * 10) {
      throw new Error(`too few prepared bills left (${left}); raise BENCH_OPEN_BILLS`);
    }
    const { result, cpu } = await measuredRun(s, {
      url: `${s.baseUrl}/api/v1/payments/notifications`,
      connections: s.connections,
      duration: seconds,
      maxOverallRequests: left,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/payments/notifications',
          setupRequest: (req) => {
            const i = this.#next++;
            const bill = this.bills[Math.min(i, this.bills.length - 1)];
            if (!bill) {
              throw new Error('no prepared bill');
            }
            const body = JSON.stringify({
              externalId: `bench-${this.#runId}-${i}`,
              paymentCode: bill.paymentCode,
              amount: bill.amount,
              channel: CHANNELS[i % CHANNELS.length],
              paidAt: new Date().toISOString(),
            });
            return { ...req, body, headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(this.secret, body) } };
          },
          onResponse: (status, body) => {
            let applied = false;
            try {
              applied = status === 200 && (JSON.parse(body) as { status?: unknown }).status === 'applied';
            } catch {
              // not JSON: counted below
            }
            if (applied) {
              appliedCount += 1;
            } else {
              notApplied += 1;
              if (samples.length < 5) {
                samples.push(`${status} ${body.slice(0, 200)}`);
              }
            }
          },
        },
      ],
    });
    return { ...toPhase(name, result, cpu), applied: appliedCount, notApplied, notAppliedSamples: samples };
  }
}
