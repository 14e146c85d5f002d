/**
 * The simulation's model of claims and payouts (api-contract.md "Claims", README "Payouts"), written from the contract,
 * not from the claims module: which claims exist and in which state, what each approval took out of the JHT account
 * or the benefit expense, which payouts are pending, paid or failed, and what a JHT account must hold.
 */

export type ClaimType = 'JHT' | 'JKK' | 'JKM';
export type ClaimStatus = 'submitted' | 'verified' | 'approved' | 'paid' | 'rejected' | 'returned';
export type PayoutStatus = 'pending' | 'paid' | 'failed';

/** The state machine as the contract states it: every move a claim's history may make. */
export const CLAIM_MOVES: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  submitted: ['verified', 'rejected', 'returned'],
  verified: ['approved', 'rejected'],
  approved: ['paid'],
  returned: ['submitted'],
  paid: [],
  rejected: [],
};

/** Whether a claim's history (its claim_event statuses, oldest first) moves only along the machine. */
export function historyFollowsMachine(history: readonly string[]): boolean {
  if (history[0] !== 'submitted') {
    return false;
  }
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1] as ClaimStatus;
    if (!(CLAIM_MOVES[from] ?? []).includes(history[i] as ClaimStatus)) {
      return false;
    }
  }
  return true;
}

export function isOpenClaim(status: ClaimStatus): boolean {
  return status !== 'paid' && status !== 'rejected';
}

export interface SimPayout {
  id: string;
  amount: number;
  status: PayoutStatus;
  /** The account number it is sent to (DEV_FAILING_ACCOUNT: every transfer fails). */
  accountNumber: string;
}

export interface SimClaim {
  id: string;
  type: ClaimType;
  /** full / partial_10 / partial_30 for JHT; the JKK and JKM claims have none. */
  jhtReason: 'full' | 'partial_10' | 'partial_30' | null;
  nik: string;
  kpj: string;
  status: ClaimStatus;
  /** Who filed: the member (may resubmit a returned claim) or the counter. */
  filedBy: 'member' | 'counter';
  /** The bank account number it is paid to (re-issued payouts may change it). */
  accountNumber: string;
  verifiedBy: 'verifier' | 'both' | null;
  /** Fixed by the approval. */
  total: number | null;
  /** A full JHT withdrawal's accrued return, credited at approval (jht_interim_return). */
  interim: number;
  /** The WIB year of the approval (the interim return's ref is jht-interim:<year>). */
  approvedYear: number | null;
  payout: SimPayout | null;
}

/** Everything the model knows about claims and the JHT accounts' movements other than contributions. */
export class ClaimsModel {
  readonly claims = new Map<string, SimClaim>();
  /** jht_return credits observed per KPJ (the yearly crediting job). */
  readonly returnsByKpj = new Map<string, number>();
  /** The ids of jht_return transfers already observed. */
  readonly returnsSeen = new Set<string>();
  /** NIKs whose partial JHT claim was approved (a second partial is refused). */
  readonly partialUsed = new Set<string>();

  openClaim(nik: string, type: ClaimType): SimClaim | undefined {
    for (const c of this.claims.values()) {
      if (c.nik === nik && c.type === type && isOpenClaim(c.status)) {
        return c;
      }
    }
    return undefined;
  }

  /** Σ withdrawn from the member's JHT account (approved JHT totals) and Σ interim returns credited to it. */
  jhtMoves(nik: string): { withdrawn: number; interim: number } {
    let withdrawn = 0;
    let interim = 0;
    for (const c of this.claims.values()) {
      if (c.nik === nik && c.type === 'JHT' && c.total !== null && (c.status === 'approved' || c.status === 'paid')) {
        withdrawn += c.total;
        interim += c.interim;
      }
    }
    return { withdrawn, interim };
  }

  /** Σ approved totals, Σ paid, the number of paid payouts, Σ approved JKK/JKM (benefit expense) and Σ interim. */
  totals(): { approved: number; paid: number; paidCount: number; benefit: { JKK: number; JKM: number }; interim: number } {
    const out = { approved: 0, paid: 0, paidCount: 0, benefit: { JKK: 0, JKM: 0 }, interim: 0 };
    for (const c of this.claims.values()) {
      if (c.total === null || !(c.status === 'approved' || c.status === 'paid')) {
        continue;
      }
      out.approved += c.total;
      out.interim += c.interim;
      if (c.type !== 'JHT') {
        out.benefit[c.type] += c.total;
      }
      if (c.payout?.status === 'paid') {
        out.paid += c.payout.amount;
        out.paidCount += 1;
      }
    }
    return out;
  }

  returnsOf(kpj: string): number {
    return this.returnsByKpj.get(kpj) ?? 0;
  }

  totalReturns(): number {
    let s = 0;
    for (const x of this.returnsByKpj.values()) {
      s += x;
    }
    return s;
  }
}
