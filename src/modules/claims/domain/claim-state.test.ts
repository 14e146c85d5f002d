import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES, isOpen, newClaimState, transition } from './claim-state.js';
import type { ClaimAction, ClaimState, ClaimStatus } from './claim-state.js';

const at = (status: ClaimStatus, verifiedBy: string | null = 'vera'): ClaimState => ({ status, verifiedBy, approvedBy: null, reason: null });

const ACTIONS: Record<ClaimAction['kind'], ClaimAction> = {
  verify: { kind: 'verify', officer: 'vera' },
  approve: { kind: 'approve', officer: 'andi' },
  reject: { kind: 'reject', officer: 'vera', reason: 'Dokumen tidak sah' },
  return: { kind: 'return', officer: 'vera', reason: 'Surat keterangan berhenti kerja belum ada' },
  resubmit: { kind: 'resubmit' },
  pay: { kind: 'pay' },
};

/** The whole table: from each state, each action → the new state or the refusal. */
const TABLE: Record<ClaimStatus, Partial<Record<ClaimAction['kind'], ClaimStatus>>> = {
  submitted: { verify: 'verified', reject: 'rejected', return: 'returned' },
  verified: { approve: 'approved', reject: 'rejected' },
  approved: { pay: 'paid' },
  paid: {},
  rejected: {},
  returned: { resubmit: 'submitted' },
};

describe('the claim state machine (api-contract.md "Claims")', () => {
  const cases = CLAIM_STATUSES.flatMap((from) =>
    (Object.keys(ACTIONS) as ClaimAction['kind'][]).map((kind) => [from, kind, TABLE[from][kind] ?? 'invalid_transition'] as const),
  );

  it.each(cases)('%s --%s--> %s', (from, kind, expected) => {
    const r = transition(at(from), ACTIONS[kind]);
    if (expected === 'invalid_transition') {
      expect(r).toMatchObject({ ok: false, code: 'invalid_transition' });
    } else {
      expect(r).toMatchObject({ ok: true, value: { status: expected } });
    }
  });

  it('four eyes: the verifier cannot approve (same_officer); another officer can', () => {
    expect(transition(at('verified', 'andi'), { kind: 'approve', officer: 'andi' })).toMatchObject({ ok: false, code: 'same_officer' });
    expect(transition(at('verified', 'vera'), { kind: 'approve', officer: 'andi' })).toMatchObject({
      ok: true,
      value: { status: 'approved', verifiedBy: 'vera', approvedBy: 'andi' },
    });
  });

  it('a rejection and a return need a reason, which is kept', () => {
    expect(transition(at('submitted'), { kind: 'reject', officer: 'vera', reason: '  ' })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(transition(at('submitted'), { kind: 'return', officer: 'vera', reason: '' })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(transition(at('verified'), ACTIONS.reject)).toMatchObject({ ok: true, value: { status: 'rejected', reason: 'Dokumen tidak sah' } });
  });

  it('a whole walk: filed, returned, resubmitted, verified, approved by another officer, paid', () => {
    let s = newClaimState();
    const steps: ClaimAction[] = [ACTIONS.return, ACTIONS.resubmit, ACTIONS.verify, ACTIONS.approve, ACTIONS.pay];
    for (const step of steps) {
      const r = transition(s, step);
      if (!r.ok) {
        throw new Error(r.code);
      }
      s = r.value;
    }
    expect(s).toMatchObject({ status: 'paid', verifiedBy: 'vera', approvedBy: 'andi' });
  });

  it('a resubmitted claim is verified afresh (the earlier verifier is forgotten)', () => {
    const r = transition({ status: 'returned', verifiedBy: 'vera', approvedBy: null, reason: 'x' }, ACTIONS.resubmit);
    expect(r).toMatchObject({ ok: true, value: { status: 'submitted', verifiedBy: null } });
  });

  it('open claims are the ones neither paid nor rejected (claim_in_progress)', () => {
    expect(CLAIM_STATUSES.filter(isOpen)).toEqual(['submitted', 'verified', 'approved', 'returned']);
  });
});
