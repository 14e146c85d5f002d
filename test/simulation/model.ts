/**
 * The simulation's own model of the money path, written from the contract ("Bills and payment notifications"):
 * which bills exist, what each asks for, which months each person is covered for, and which externalIds have been
 * received. Given a notification it says what the answer must be. Where the contract leaves a choice open the model
 * takes the project's: expiry is judged when the notification is received (the server clock), not by its paidAt;
 * when several reasons apply, already-paid (or months already covered) beats expired/cancelled beats amount.
 */

export type UnmatchedReason = 'amount_mismatch' | 'bill_expired' | 'bill_already_paid' | 'unknown_payment_code';

export type Outcome =
  | { status: 'applied' }
  | { status: 'duplicate' }
  | { status: 'unmatched'; reason: UnmatchedReason }
  | { status: 'conflict' }; // 409 external_id_conflict

export type BillStatus = 'open' | 'paid' | 'cancelled';

/** What never changes about a bill once issued. */
export interface SimBill {
  code: string;
  amount: number;
  kind: 'first' | 'renewal';
  nik: string;
  registrationId: string | null;
  months: string[];
  /** Parsed from the response's expiresAt (second precision, so at most 1 s earlier than the stored instant). */
  expiresAtMs: number;
}

export interface Notification {
  externalId: string;
  paymentCode: string;
  amount: number;
  channel: string;
  paidAt: string;
}

/** Content identity of a notification: every field but externalId, paidAt compared as an instant. */
export function contentKey(n: Notification): string {
  return `${n.paymentCode}|${n.amount}|${n.channel}|${Date.parse(n.paidAt)}`;
}

export function outcomeKey(o: Outcome): string {
  return o.status === 'unmatched' ? `unmatched:${o.reason}` : o.status;
}

/** The mutable part of the model; cloned to try serial orders of concurrent notifications. */
export interface ModelState {
  billStatus: Map<string, BillStatus>;
  /** nik → months covered (the participant, once one exists for that NIK). */
  coverage: Map<string, Set<string>>;
  participants: Set<string>;
  completedRegistrations: Set<string>;
  /** externalId → content key of the first notification received with it. */
  received: Map<string, string>;
}

export function emptyState(): ModelState {
  return { billStatus: new Map(), coverage: new Map(), participants: new Set(), completedRegistrations: new Set(), received: new Map() };
}

export function cloneState(s: ModelState): ModelState {
  return {
    billStatus: new Map(s.billStatus),
    coverage: new Map([...s.coverage].map(([k, v]) => [k, new Set(v)])),
    participants: new Set(s.participants),
    completedRegistrations: new Set(s.completedRegistrations),
    received: new Map(s.received),
  };
}

export function isCovered(s: ModelState, nik: string, months: readonly string[]): boolean {
  const covered = s.coverage.get(nik);
  return covered !== undefined && months.some((m) => covered.has(m));
}

/**
 * One notification received at `nowMs`, applied to the state: the answer the contract demands.
 * - a known externalId: identical content → duplicate, else conflict (nothing recorded either way);
 * - otherwise the money is recorded, and settles the bill only when the code is a known, open, unexpired bill whose
 *   months are not already covered and the amount is exact; else the reason it could not.
 */
export function applyNotification(s: ModelState, bills: ReadonlyMap<string, SimBill>, n: Notification, nowMs: number): Outcome {
  const key = contentKey(n);
  const known = s.received.get(n.externalId);
  if (known !== undefined) {
    return known === key ? { status: 'duplicate' } : { status: 'conflict' };
  }
  s.received.set(n.externalId, key);
  const bill = bills.get(n.paymentCode);
  if (!bill) {
    return { status: 'unmatched', reason: 'unknown_payment_code' };
  }
  const status = s.billStatus.get(bill.code);
  if (status === 'paid' || (status === 'open' && isCovered(s, bill.nik, bill.months))) {
    return { status: 'unmatched', reason: 'bill_already_paid' };
  }
  if (status === 'cancelled' || bill.expiresAtMs <= nowMs) {
    return { status: 'unmatched', reason: 'bill_expired' };
  }
  if (n.amount !== bill.amount) {
    return { status: 'unmatched', reason: 'amount_mismatch' };
  }
  s.billStatus.set(bill.code, 'paid');
  const covered = s.coverage.get(bill.nik) ?? new Set<string>();
  for (const m of bill.months) {
    covered.add(m);
  }
  s.coverage.set(bill.nik, covered);
  s.participants.add(bill.nik);
  if (bill.registrationId) {
    s.completedRegistrations.add(bill.registrationId);
  }
  return { status: 'applied' };
}

function* permutations(n: number): Generator<number[]> {
  const idx = Array.from({ length: n }, (_, i) => i);
  // Heap's algorithm.
  const c = new Array<number>(n).fill(0);
  yield [...idx];
  let i = 0;
  while (i < n) {
    if ((c[i] as number) < i) {
      const j = i % 2 === 0 ? 0 : (c[i] as number);
      [idx[j], idx[i]] = [idx[i] as number, idx[j] as number];
      yield [...idx];
      c[i] = (c[i] as number) + 1;
      i = 0;
    } else {
      c[i] = 0;
      i += 1;
    }
  }
}

/**
 * Notifications sent concurrently must be answered as if they had arrived one at a time in SOME order
 * (serialisability). Returns the state after the first order that explains every answer, or null.
 */
export function explainConcurrent(
  s: ModelState,
  bills: ReadonlyMap<string, SimBill>,
  batch: readonly Notification[],
  actual: readonly Outcome[],
  nowMs: number,
): { state: ModelState; order: number[] } | null {
  if (batch.length > 7) {
    throw new Error('batch too large to check every order');
  }
  for (const order of permutations(batch.length)) {
    const trial = cloneState(s);
    let fits = true;
    for (const i of order) {
      const expected = applyNotification(trial, bills, batch[i] as Notification, nowMs);
      if (outcomeKey(expected) !== outcomeKey(actual[i] as Outcome)) {
        fits = false;
        break;
      }
    }
    if (fits) {
      return { state: trial, order };
    }
  }
  return null;
}
