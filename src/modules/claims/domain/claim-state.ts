/**
 * The claim state machine (api-contract.md "Claims"; domain-rules.md "Four eyes") as a pure transition function:
 *
 *   submitted → verified → approved → paid
 *   submitted | verified → rejected (with a reason)
 *   submitted → returned (to the claimant, with a reason) → submitted (resubmitted)
 *
 * The approver must not be the verifier (`same_officer`); any other action from the wrong state is
 * `invalid_transition`. The database enforces four eyes too; this is the rule the shell checks first.
 */
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';

export const CLAIM_STATUSES = ['submitted', 'verified', 'approved', 'paid', 'rejected', 'returned'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Staff actions carry the officer (a staff account id); `pay` is the disbursement's confirmation. */
export type ClaimAction =
  | { readonly kind: 'verify'; readonly officer: string }
  | { readonly kind: 'approve'; readonly officer: string }
  | { readonly kind: 'reject'; readonly officer: string; readonly reason: string }
  | { readonly kind: 'return'; readonly officer: string; readonly reason: string }
  | { readonly kind: 'resubmit' }
  | { readonly kind: 'pay' };

export interface ClaimState {
  readonly status: ClaimStatus;
  /** Who verified the claim (set on `verify`). */
  readonly verifiedBy: string | null;
  readonly approvedBy: string | null;
  /** The reason of the last rejection or return. */
  readonly reason: string | null;
}

export type TransitionRejection = 'invalid_transition' | 'same_officer' | 'reason_required';

/** From which states each action may start, and where it leads. */
const MOVES: Record<ClaimAction['kind'], { readonly from: readonly ClaimStatus[]; readonly to: ClaimStatus }> = {
  verify: { from: ['submitted'], to: 'verified' },
  approve: { from: ['verified'], to: 'approved' },
  pay: { from: ['approved'], to: 'paid' },
  reject: { from: ['submitted', 'verified'], to: 'rejected' },
  return: { from: ['submitted'], to: 'returned' },
  resubmit: { from: ['returned'], to: 'submitted' },
};

export function newClaimState(): ClaimState {
  return { status: 'submitted', verifiedBy: null, approvedBy: null, reason: null };
}

/** Terminal states: nothing moves a claim out of them. */
export function isFinal(status: ClaimStatus): boolean {
  return status === 'paid' || status === 'rejected';
}

/** An open claim (for `claim_in_progress`): neither paid nor rejected. */
export function isOpen(status: ClaimStatus): boolean {
  return !isFinal(status);
}

export function transition(state: ClaimState, action: ClaimAction): Result<ClaimState, TransitionRejection> {
  const move = MOVES[action.kind];
  if (!move.from.includes(state.status)) {
    return reject('invalid_transition', 'status', `${action.kind} from ${state.status}`);
  }
  switch (action.kind) {
    case 'verify':
      return ok({ ...state, status: move.to, verifiedBy: action.officer });
    case 'approve':
      if (action.officer === state.verifiedBy) {
        return reject('same_officer', 'officer', 'the approver verified this claim');
      }
      return ok({ ...state, status: move.to, approvedBy: action.officer });
    case 'reject':
    case 'return':
      if (action.reason.trim() === '') {
        return reject('reason_required', 'reason');
      }
      return ok({ ...state, status: move.to, reason: action.reason.trim() });
    case 'resubmit':
      // A resubmitted claim is checked afresh: a new verification by anyone.
      return ok({ ...state, status: move.to, verifiedBy: null, approvedBy: null });
    case 'pay':
      return ok({ ...state, status: move.to });
  }
}
