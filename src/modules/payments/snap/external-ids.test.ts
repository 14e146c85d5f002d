import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../shared/clock.js';
import { ExternalIdRegistry, type StoredResponse } from './external-ids.js';

function clockAt(iso: string): AdjustableClock {
  const clock = new AdjustableClock();
  clock.set(new Date(iso));
  return clock;
}

describe('ExternalIdRegistry (X-EXTERNAL-ID unique per partner and WIB day)', () => {
  const ok = (body: unknown): StoredResponse => ({ status: 200, body });

  it('a retransmission gets the first answer without running again; another request under the id is a conflict', async () => {
    const registry = new ExternalIdRegistry(clockAt('2026-11-22T03:00:00Z'));
    let runs = 0;
    const handle = async () => ok(++runs);
    expect(await registry.run('bank', '1', 'A', handle)).toEqual({ kind: 'answer', response: ok(1) });
    expect(await registry.run('bank', '1', 'A', handle)).toEqual({ kind: 'answer', response: ok(1) });
    expect(await registry.run('bank', '1', 'B', handle)).toEqual({ kind: 'conflict' });
    expect(await registry.run('other-bank', '1', 'B', handle)).toEqual({ kind: 'answer', response: ok(2) });
    expect(runs).toBe(2);
  });

  it('concurrent retransmissions share one run', async () => {
    const registry = new ExternalIdRegistry(clockAt('2026-11-22T03:00:00Z'));
    let runs = 0;
    const handle = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      return ok('done');
    };
    const results = await Promise.all([registry.run('bank', '1', 'A', handle), registry.run('bank', '1', 'A', handle)]);
    expect(results).toEqual([
      { kind: 'answer', response: ok('done') },
      { kind: 'answer', response: ok('done') },
    ]);
    expect(runs).toBe(1);
  });

  it('the id is free again the next WIB day; server errors and exceptions are forgotten', async () => {
    const clock = clockAt('2026-11-22T16:59:00Z'); // 23:59 WIB
    const registry = new ExternalIdRegistry(clock);
    await registry.run('bank', '1', 'A', async () => ok(1));
    clock.advance(120_000); // 00:01 WIB, the next day
    expect(await registry.run('bank', '1', 'B', async () => ok(2))).toEqual({ kind: 'answer', response: ok(2) });
    expect(registry.size).toBe(1);

    expect(await registry.run('bank', '2', 'A', async () => ({ status: 500, body: 'fault' }))).toEqual({ kind: 'answer', response: { status: 500, body: 'fault' } });
    expect(await registry.run('bank', '2', 'A', async () => ok('retried'))).toEqual({ kind: 'answer', response: ok('retried') });
    await expect(registry.run('bank', '3', 'A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await registry.run('bank', '3', 'A', async () => ok('retried'))).toEqual({ kind: 'answer', response: ok('retried') });
  });

  it('is bounded', async () => {
    const registry = new ExternalIdRegistry(clockAt('2026-11-22T03:00:00Z'), 2);
    for (const id of ['1', '2', '3']) {
      await registry.run('bank', id, 'A', async () => ok(id));
    }
    expect(registry.size).toBe(2);
    expect(await registry.run('bank', '1', 'B', async () => ok('new'))).toEqual({ kind: 'answer', response: ok('new') });
  });
});
