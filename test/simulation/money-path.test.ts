import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/test-app.js';
import { runSimulation, type SimulationOptions } from './money-path-sim.js';
import { positiveIntFromEnv, Rng, seedFromEnv } from './prng.js';

/**
 * Seeded simulation of the money path, all through the real HTTP app (and the real job runner): random interleavings
 * of bills (member bills, first bills, re-submissions, re-registrations, VA inquiries, the monthly cycle's dues) and
 * money arriving through every channel's own endpoint — the generic signed notification, BI-SNAP VA (token, inquiry,
 * payment) and QRIS notify, Midtrans, Xendit e-wallet and retail outlet, auto-debit charges by the collection job —
 * correct, duplicate (alone, restated, retransmitted, in concurrent storms), conflicting, late, out of order, short or
 * over the bill (the excess to the member's wallet), cancelled or unknown codes, top-ups (Rp5.000 and other small
 * amounts) with the member's top-up code, statuses that move no money, forged signatures, races with new bills; staff
 * refunding and assigning unmatched payments (double requests included); reconciliation runs over settlement files
 * written from the model with planted differences; auto-debit mandates registered and revoked, with clock moves that
 * run the job runner. Claims and payouts interleave with all of it (claims-sim.ts): JHT (full, partial), JKK and JKM
 * claims filed, verified, approved, rejected, returned and resubmitted; the payout job at random steps; failed transfers
 * re-issued; repeated provider callbacks; JHT return rates entered and each year's credits recomputed day by day.
 * Partners (payers-sim.ts): a partner's enrolment batches (CSV or JSON, with bad rows) run by the job, their collective
 * bills paid exactly, short or twice and fanned out to each member bill (channel 'payer').
 *
 * After every step the database must agree with the test's model on what the step changed (cheap checks); every
 * invariant over the whole database — debits = credits; no bill settled twice; every received rupiah on a settled
 * bill, in a wallet, in suspense or refunded; no unmatched payment resolved twice; coverage exactly the paid months;
 * wallet balances = the model's; every stored external id the one its channel maps to; every claim as the model has it,
 * no payout paid twice, Σ approved = payout_clearing + Σ paid, each JHT balance = contributions + returns − withdrawals
 * (claims-invariants.ts; after each step for what it touched) — every SIM_FULL_EVERY steps
 * (default 250) and at the end. The short fixed-seed run checks everything after every step.
 *
 * SIM_SEED=<n> replays a run (the same operations; which of two racing requests wins may differ). Its length:
 * SIM_OPS=<n> operations (default 10 000; each notification delivered, bill issued or asked for, registration,
 * top-up, staff request, job run and reconciliation counts one), or SIM_STEPS=<n> steps. A failure prints seed and step.
 */

// Sessions must outlive the clock jumps of a run (a member signs in once; a long run spans decades of dues).
const env = { SESSION_TTL_MINUTES: String(60 * 24 * 365 * 200) };

async function simulate(seed: number, options: SimulationOptions) {
  const t = await createTestApp({ env });
  try {
    const started = performance.now();
    const result = await runSimulation(t, new Rng(seed), options);
    const ms = Math.round(performance.now() - started);
    console.log(`money-path simulation seed=${seed}: ${result.operations} operations in ${result.steps} steps, ${ms} ms (checks ${result.checkMs} ms, ${result.fullChecks} full)`, JSON.stringify(result));
    return result;
  } finally {
    await t.close();
  }
}

describe('money path simulation', () => {
  const seed = seedFromEnv();
  const steps = process.env['SIM_STEPS'] ? positiveIntFromEnv('SIM_STEPS', 1) : undefined;
  const operations = steps === undefined ? positiveIntFromEnv('SIM_OPS', 10_000) : undefined;
  const fullCheckEvery = positiveIntFromEnv('SIM_FULL_EVERY', 250);
  const length = steps !== undefined ? `${steps} steps` : `${operations} operations`;

  it(`holds every invariant over ${length} (seed=${seed})`, { timeout: 120_000 + (steps ?? (operations as number) / 2) * 200 }, async () => {
    const result = await simulate(seed, { steps, operations, fullCheckEvery });
    expect(result.payments).toBeGreaterThan(0);
    if (operations !== undefined) {
      expect(result.operations).toBeGreaterThanOrEqual(operations);
    }
  });

  it('holds every invariant, all checked after every step, on a short fixed-seed run (seed=42)', { timeout: 60_000 }, async () => {
    const result = await simulate(42, { steps: 80, fullCheckEvery: 1 });
    expect(result.payments).toBeGreaterThan(0);
    expect(result.fullChecks).toBe(80);
  });
});
