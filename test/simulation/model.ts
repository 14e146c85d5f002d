/**
 * The simulation's own model of the money path, written from the contract ("Bills and payment notifications") and the
 * channels' protocols (README "Payment channels", "BI-SNAP virtual accounts and QRIS"): which bills exist, what each
 * asks for, which months each person is covered for, and which external ids have been received. Given a notification
 * it says what the answer must be. Expiry is judged on the channel's paidAt, not on arrival (api-contract.md "Coverage
 * begins when the money arrives"): a bill paid at or before its expiry settles however late the message arrives,
 * unless it was paid already (or its months covered) or replaced by a newer bill (`bill_replaced`). When several
 * reasons apply, already-paid (or months already covered) beats expired beats replaced beats a short amount. The
 * simulation sends paidAt between the bill's issue and the clock (a paidAt before the issue, or more than 5 minutes
 * ahead, is refused with nothing recorded: checked by its own operation, outside this model). A payment larger than its
 * bill settles it and the excess goes to the member's contribution wallet; a member's top-up code ('7' + KPJ + Luhn
 * digit) puts all of the money in their wallet. What a wallet then pays (the sweep), what the monthly cycle opens
 * (dues) and what auto-debit collects are observed by the simulation and checked there (money-path-sim.ts).
 *
 * Every channel ends in the same settlement; they differ in how a repeat is judged and how the answer is written:
 * - the generic signed notification: a known externalId with identical content is a duplicate, anything else differing
 *   (even paidAt) a 409 conflict;
 * - the provider protocols (BI-SNAP VA and QRIS, Midtrans, Xendit): a repeat with the same money (payment code, amount,
 *   channel) is a duplicate even when its time was restated; only a change in the money is a conflict
 *   (SNAP: 404xx18 Inconsistent Request; Midtrans/Xendit: 409 external_id_conflict).
 */

export type UnmatchedReason = 'amount_mismatch' | 'bill_expired' | 'bill_already_paid' | 'unknown_payment_code' | 'bill_replaced' | 'prepay_limit';

/** How the notification reached us: each channel's real endpoint. */
/**
 * `payer`: a collective bill's share of one member bill, recorded by its fan-out job (payers-sim.ts); `agent`: cash a
 * PERISAI agent collected, recorded by the agent's collect command (agents-sim.ts). Neither is sent as a notification.
 */
export type Protocol = 'generic' | 'snap-va' | 'snap-qris' | 'midtrans' | 'xendit-ewallet' | 'xendit-retail' | 'autodebit' | 'payer' | 'agent';

/**
 * What the first notification under an externalId was recorded as: a settled bill (with the excess of an overpayment,
 * which goes to the member's contribution wallet), a top-up (a member's top-up code: all of it to their wallet), or
 * unmatched money (suspense).
 */
export type FirstOutcome = { status: 'applied'; excess: number } | { status: 'topup'; amount: number } | { status: 'unmatched'; reason: UnmatchedReason };

/** An exact payment of a bill. */
export const APPLIED: FirstOutcome = { status: 'applied', excess: 0 };

export type Outcome =
  | FirstOutcome
  | { status: 'duplicate'; first: FirstOutcome }
  | { status: 'conflict'; first: FirstOutcome }; // generic/Midtrans/Xendit 409 external_id_conflict, SNAP 404xx18

export type BillStatus = 'open' | 'paid' | 'cancelled';

/** What never changes about a bill once issued. */
export interface SimBill {
  code: string;
  amount: number;
  /**
   * `wallet`: a month the member's contribution wallet paid (born paid, no payment of its own); `dues`: a month's dues
   * the monthly cycle opened (and auto-debit collects).
   */
  kind: 'first' | 'renewal' | 'wallet' | 'dues';
  nik: string;
  registrationId: string | null;
  months: string[];
  /** Parsed from the response's expiresAt (second precision, so at most 1 s earlier than the stored instant). */
  expiresAtMs: number;
  /** At or after the bill's created_at (read after the issuing answer, or from the row): a paidAt from here on is valid. */
  issuedAtMs: number;
  /** Position in issue order (the database's created_at order). */
  seq: number;
}

export interface Notification {
  /** As the payment table records it: generic as sent; snap:<psid>:<paymentRequestId>, qris:<originalReferenceNo>,
   * midtrans:<transaction_id>, xendit:<id> for the provider protocols. */
  externalId: string;
  /** The code the payment is recorded against (for a VA payment: the bill the member's VA resolves to). */
  paymentCode: string;
  amount: number;
  channel: string;
  /** ISO instant, at the precision the protocol carries (seconds for SNAP and Midtrans). */
  paidAt: string;
  protocol: Protocol;
}

/** Content identity of a notification: every field but externalId, paidAt compared as an instant. */
export function contentKey(n: Notification): string {
  return `${n.paymentCode}|${n.amount}|${n.channel}|${Date.parse(n.paidAt)}`;
}

/** The money of a notification: what a provider's restated repeat must keep to be the same payment. */
export function moneyKey(n: Notification): string {
  return `${n.paymentCode}|${n.amount}|${n.channel}`;
}

export function outcomeKey(o: Outcome): string {
  switch (o.status) {
    case 'unmatched':
      return `unmatched:${o.reason}`;
    case 'applied':
      return o.excess > 0 ? 'applied+overpaid' : 'applied';
    default:
      return o.status;
  }
}

const SNAP_VA_UNMATCHED: Record<UnmatchedReason, string> = {
  amount_mismatch: '4042513', // Invalid Amount
  bill_already_paid: '4042514', // Paid Bill
  bill_expired: '4042519', // Invalid Bill/Virtual Account [Expired]
  bill_replaced: '4042519', // Invalid Bill/Virtual Account [Replaced]
  prepay_limit: '4042512', // Invalid Bill/Virtual Account [Prepayment Limit]
  unknown_payment_code: '4042512', // Invalid Bill/Virtual Account [Not Found]
};

/**
 * The answer a channel must get for an outcome, as a comparable key (see answerKey in money-path-sim.ts for how a
 * response is read into the same form):
 * - generic, Midtrans, Xendit: applied[+wallet:<credit>[+topup]] | duplicate | unmatched:<reason> | conflict (409);
 * - SNAP VA: responseCode/paymentFlagStatus; a repeat is answered as its first delivery was; an inconsistent repeat
 *   is 4042518 flagged with the first payment's status;
 * - SNAP QRIS: 2005200/<settlement>[:reason] (the acquirer is always acknowledged), or 4045218 when inconsistent.
 */
export function expectedAnswer(protocol: Protocol, o: Outcome): string {
  switch (protocol) {
    case 'snap-va':
      switch (o.status) {
        case 'applied':
        case 'topup':
          return '2002500/00';
        case 'unmatched':
          return `${SNAP_VA_UNMATCHED[o.reason]}/01`;
        case 'duplicate':
          return expectedAnswer(protocol, o.first);
        case 'conflict':
          return `4042518/${o.first.status === 'applied' ? '00' : '01'}`;
      }
      break;
    case 'snap-qris':
      switch (o.status) {
        case 'applied':
        case 'topup':
          return '2005200/applied';
        case 'unmatched':
          return `2005200/unmatched:${o.reason}`;
        case 'duplicate':
          return `2005200/duplicate${o.first.status === 'unmatched' ? `:${o.first.reason}` : ''}`;
        case 'conflict':
          return '4045218/inconsistent';
      }
      break;
    default:
      switch (o.status) {
        case 'applied':
          return o.excess > 0 ? `applied+wallet:${o.excess}` : 'applied';
        case 'topup':
          return `applied+wallet:${o.amount}+topup`;
        default:
          return outcomeKey(o);
      }
  }
}

interface Received {
  content: string;
  money: string;
  first: FirstOutcome;
}

/** The mutable part of the model. Changes made through applyNotification can be undone (see Undo). */
export interface ModelState {
  billStatus: Map<string, BillStatus>;
  /** nik → months covered (the participant, once one exists for that NIK). */
  coverage: Map<string, Set<string>>;
  participants: Set<string>;
  completedRegistrations: Set<string>;
  /** externalId → what was received first under it. */
  received: Map<string, Received>;
  /** nik → the member's contribution wallet balance (before the sweep that follows a credit). */
  wallet: Map<string, number>;
}

export function emptyState(): ModelState {
  return { billStatus: new Map(), coverage: new Map(), participants: new Set(), completedRegistrations: new Set(), received: new Map(), wallet: new Map() };
}

export function cloneState(s: ModelState): ModelState {
  return {
    billStatus: new Map(s.billStatus),
    coverage: new Map([...s.coverage].map(([k, v]) => [k, new Set(v)])),
    participants: new Set(s.participants),
    completedRegistrations: new Set(s.completedRegistrations),
    received: new Map(s.received),
    wallet: new Map(s.wallet),
  };
}

/** A log of changes to undo, newest last: trying an order of concurrent notifications costs what it changes. */
export type Undo = (() => void)[];

function rollback(undo: Undo): void {
  for (let i = undo.length - 1; i >= 0; i--) {
    (undo[i] as () => void)();
  }
  undo.length = 0;
}

function setIn<K, V>(map: Map<K, V>, key: K, value: V, undo?: Undo): void {
  if (undo) {
    const had = map.has(key);
    const old = map.get(key);
    undo.push(() => (had ? map.set(key, old as V) : map.delete(key)));
  }
  map.set(key, value);
}

function addTo<T>(set: Set<T>, value: T, undo?: Undo): void {
  if (!set.has(value)) {
    undo?.push(() => set.delete(value));
    set.add(value);
  }
}

export function isCovered(s: ModelState, nik: string, months: readonly string[]): boolean {
  const covered = s.coverage.get(nik);
  return covered !== undefined && months.some((m) => covered.has(m));
}

/** What the model knows codes by: the bills issued, and the members' top-up codes (code → NIK). */
export interface Catalog {
  bills: ReadonlyMap<string, SimBill>;
  topUps: ReadonlyMap<string, string>;
}

/**
 * One notification received at `nowMs`, applied to the state: the answer the contract demands.
 * - a known externalId: identical content (or, for a provider protocol, the same money) → duplicate, else conflict
 *   (nothing recorded either way);
 * - a member's top-up code: a top-up, all of it to their wallet;
 * - otherwise the money is recorded, and settles the bill only when the code is a known, open, unexpired bill whose
 *   months are not already covered and the amount is at least the bill's (the excess to the member's wallet); else
 *   the reason it could not.
 * The wallet sweep that follows a credit is not modelled here: the simulation observes it and checks it (sweep()).
 */
export function applyNotification(s: ModelState, catalog: Catalog, n: Notification, nowMs: number, undo?: Undo): Outcome {
  const known = s.received.get(n.externalId);
  if (known !== undefined) {
    const same = known.content === contentKey(n) || (n.protocol !== 'generic' && known.money === moneyKey(n));
    return same ? { status: 'duplicate', first: known.first } : { status: 'conflict', first: known.first };
  }
  const first = decide(s, catalog, n);
  setIn(s.received, n.externalId, { content: contentKey(n), money: moneyKey(n), first }, undo);
  if (first.status === 'topup') {
    const nik = catalog.topUps.get(n.paymentCode) as string;
    setIn(s.wallet, nik, (s.wallet.get(nik) ?? 0) + first.amount, undo);
  }
  if (first.status === 'applied') {
    const bill = catalog.bills.get(n.paymentCode) as SimBill;
    setIn(s.billStatus, bill.code, 'paid', undo);
    let covered = s.coverage.get(bill.nik);
    if (!covered) {
      covered = new Set<string>();
      setIn(s.coverage, bill.nik, covered, undo);
    }
    for (const m of bill.months) {
      addTo(covered, m, undo);
    }
    addTo(s.participants, bill.nik, undo);
    if (bill.registrationId) {
      addTo(s.completedRegistrations, bill.registrationId, undo);
    }
    if (first.excess > 0) {
      setIn(s.wallet, bill.nik, (s.wallet.get(bill.nik) ?? 0) + first.excess, undo);
    }
  }
  return first;
}

function decide(s: ModelState, catalog: Catalog, n: Notification): FirstOutcome {
  const topUpOf = catalog.topUps.get(n.paymentCode);
  if (topUpOf !== undefined && s.participants.has(topUpOf)) {
    return { status: 'topup', amount: n.amount };
  }
  const bill = catalog.bills.get(n.paymentCode);
  if (!bill) {
    return { status: 'unmatched', reason: 'unknown_payment_code' };
  }
  const status = s.billStatus.get(bill.code);
  if (status === 'paid' || isCovered(s, bill.nik, bill.months)) {
    return { status: 'unmatched', reason: 'bill_already_paid' };
  }
  // expiresAtMs is the stored instant cut to the second; the simulation never sends a paidAt in the second after it.
  if (Date.parse(n.paidAt) > bill.expiresAtMs) {
    return { status: 'unmatched', reason: 'bill_expired' };
  }
  if (status === 'cancelled') {
    return { status: 'unmatched', reason: 'bill_replaced' };
  }
  if (n.amount < bill.amount) {
    return { status: 'unmatched', reason: 'amount_mismatch' };
  }
  return { status: 'applied', excess: n.amount - bill.amount };
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
 * (serialisability). Finds the first order that explains every answer (`actual[i]` is the answer key of batch[i]),
 * applies it to `s` and returns it with each notification's outcome; returns null (and leaves `s` as it was) when no
 * order does.
 */
export function explainConcurrent(
  s: ModelState,
  catalog: Catalog,
  batch: readonly Notification[],
  actual: readonly string[],
  nowMs: number,
): { order: number[]; outcomes: Outcome[] } | null {
  if (batch.length > 7) {
    throw new Error('batch too large to check every order');
  }
  const undo: Undo = [];
  for (const order of permutations(batch.length)) {
    const outcomes: Outcome[] = new Array(batch.length);
    let fits = true;
    for (const i of order) {
      const n = batch[i] as Notification;
      const expected = applyNotification(s, catalog, n, nowMs, undo);
      outcomes[i] = expected;
      if (expectedAnswer(n.protocol, expected) !== actual[i]) {
        fits = false;
        break;
      }
    }
    if (fits) {
      return { order, outcomes };
    }
    rollback(undo);
  }
  return null;
}
