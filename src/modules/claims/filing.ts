import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import type { Lang } from '../../shared/i18n/catalogue.js';
import { newId } from '../../shared/ids.js';
import { localDateInJakarta, monthInJakarta, type LocalDate } from '../../shared/month.js';
import { recordStaffAction } from '../audit/index.js';
import { jhtSelfServiceCap, type Program } from '../contributions/index.js';
import { type NikKeys, protectNik } from '../identity/index.js';
import { jhtBalanceAndAccrual } from '../jht/index.js';
import { coverageAt } from '../membership/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { claimRecipients } from './claim-recipients.js';
import type { SchoolLevel } from './domain/claims-rule-book.js';
import { defaultClaimRuleBook } from './domain/claims-rule-book.js';
import { jhtEligibility, jkkEligibility, jkmEligibility, type Channel, type Eligibility, type Failure, type JhtReason } from './domain/eligibility.js';
import { jhtClaimLines, writeLines } from './claim-lines.js';

/**
 * Filing a claim (api-contract.md "Claims": POST /me/claims and POST /staff/claims): the pure eligibility of
 * domain/eligibility.ts on the facts read here (coverage at the event, the JHT balance, open and earlier claims),
 * every failed rule in the refusal; then the claim, its first history row, the staff audit (staff filing) and the
 * member's notification, in one transaction. The open-claim unique index is the idempotency guard: a repeated filing
 * (or a race) is `claim_in_progress`. With CLAIMS_STRAIGHT_THROUGH=on a JHT claim within the self-service cap whose
 * every check passed is verified automatically (actor `system`), except a deterministic share sent to an officer.
 */
export type ClaimType = 'JHT' | 'JKK' | 'JKM';

export interface BankAccount {
  bankCode: string;
  accountNumber: string;
  accountName: string;
}

export interface ClaimEventFacts {
  at: string;
  kind?: 'death' | 'accident' | 'disability';
  description?: string;
  place?: string;
}

export interface Claimant {
  nik: string;
  fullName: string;
  relationship: 'spouse' | 'child' | 'parent' | 'sibling' | 'other';
  phone: string;
}

export interface ChildInput {
  fullName: string;
  birthDate: LocalDate;
  schoolLevel: SchoolLevel;
}

export interface FileClaimInput {
  participantId: string;
  channel: Channel;
  /** `participant:KPJ` or the staff username. */
  actor: string;
  type: ClaimType;
  reason?: JhtReason | undefined;
  reasonDate?: LocalDate | undefined;
  event?: ClaimEventFacts | undefined;
  claimant?: Claimant | undefined;
  children?: ChildInput[] | undefined;
  /** The tax number (15 or 16 digits), for a JHT claim above the NPWP threshold or after a partial claim. */
  npwp?: string | undefined;
  bankAccount: BankAccount;
  lang: Lang;
}

/** A refusal carrying every failed rule (the route renders them in the caller's language). */
export class ClaimRefusal extends AppError {
  constructor(readonly failures: readonly Failure[]) {
    super((failures[0] as Failure).code, undefined, failures.map((f) => f.rule).join(', '));
  }
}

type Executor = Kysely<Database> | Transaction<Database>;
type ParticipantRow = { id: string; kpj: string; birth_date: string; created_at: Date | string; full_name: string; email: string; phone: string };

async function hasOpenClaim(db: Executor, participantId: string, type: ClaimType): Promise<boolean> {
  const row = await db
    .selectFrom('claim')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('type', '=', type)
    .where('status', 'not in', ['paid', 'rejected'])
    .executeTakeFirst();
  return row !== undefined;
}

async function partialUsed(db: Executor, participantId: string): Promise<boolean> {
  const row = await db
    .selectFrom('claim')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('type', '=', 'JHT')
    .where('reason', 'in', ['partial_10', 'partial_30'])
    .where('status', 'in', ['approved', 'paid'])
    .executeTakeFirst();
  return row !== undefined;
}

function eventAtOf(input: FileClaimInput): Date {
  const at = new Date(input.event?.at ?? '');
  if (Number.isNaN(at.getTime())) {
    throw new AppError('invalid_request', 'event.at', 'an instant (ISO 8601) is required for JKK and JKM');
  }
  return at;
}

async function coverageAnswer(db: Kysely<Database>, participantId: string, at: Date) {
  const c = await coverageAt(db, participantId, at);
  return { covered: c.covered, programs: c.programs as Program[] };
}

/** The eligibility of the filing, judged at `now`; also the JHT balance for the straight-through cap. */
export async function eligibilityOf(deps: Deps, p: ParticipantRow, input: FileClaimInput, now: Date): Promise<Eligibility & { balance: number }> {
  const rules = { rules: deps.rules, claimRules: defaultClaimRuleBook, lang: input.lang };
  const openClaim = await hasOpenClaim(deps.db, p.id, input.type);
  if (input.type === 'JHT') {
    if (input.reason === undefined) {
      throw new AppError('invalid_request', 'reason', 'a JHT claim names its reason');
    }
    const { balance } = await jhtBalanceAndAccrual(deps.db, p.kpj, localDateInJakarta(now));
    const facts = {
      reason: input.reason,
      channel: input.channel,
      at: now,
      birthDate: p.birth_date,
      reasonDate: input.reasonDate ?? null,
      memberSince: localDateInJakarta(new Date(p.created_at)),
      balance,
      partialUsed: await partialUsed(deps.db, p.id),
      hasNpwp: input.npwp !== undefined,
      openClaim,
    };
    return { ...jhtEligibility(facts, rules), balance };
  }
  const eventAt = eventAtOf(input);
  const coverage = await coverageAnswer(deps.db, p.id, eventAt);
  const result =
    input.type === 'JKK'
      ? jkkEligibility({ eventAt, reportedAt: now, coverage, openClaim }, rules)
      : jkmEligibility({ deathAt: eventAt, at: now, channel: input.channel, coverage, openClaim }, rules);
  return { ...result, balance: 0 };
}

/** The stored name of each flag (`claim.flags`; the documents rule reads `npwp_required`). */
export const CLAIM_FLAG_OF_RULE = { lateReport: 'late_report', npwpChecked: 'npwp_required' } as const;

function isOpenClaimRace(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && `${e.constraint ?? ''} ${e.message ?? ''}`.includes('claim_one_open_per_type_idx');
}

/** Deterministic from the claim id: whether this straight-through candidate still goes to a person. */
export function sentToPerson(claimId: string, sharePercent: number): boolean {
  return createHash('sha256').update(claimId).digest().readUInt32BE(0) % 100 < sharePercent;
}

export interface ClaimHistoryWrite {
  claimId: string;
  participantId: string;
  at: Date;
  status: string;
  actor: string;
  reason: string | null;
}

export async function recordClaimEvent(trx: Transaction<Database>, e: ClaimHistoryWrite): Promise<void> {
  await trx
    .insertInto('claim_event')
    .values({ claim_id: e.claimId, participant_id: e.participantId, at: e.at, status: e.status, actor: e.actor, reason: e.reason })
    .execute();
}

/**
 * The member's email and SMS about a claim's new state, queued in the transaction of the change. Not for `paid`: the
 * payout's confirmation tells the member once, with the amount and the masked account (payout-settle.ts).
 */
export async function notifyClaimStatus(
  trx: Transaction<Database>,
  input: { participantId: string; claimId: string; type: ClaimType; status: ClaimStatusName; total: number | null; reason: string | null; now: Date },
): Promise<void> {
  if (input.status === 'paid') {
    return;
  }
  const p = await trx
    .selectFrom('participant')
    .innerJoin('claim', 'claim.participant_id', 'participant.id')
    .select(['participant.kpj', 'participant.full_name', 'participant.email', 'participant.phone', 'claim.claimant'])
    .where('claim.id', '=', input.claimId)
    .executeTakeFirstOrThrow();
  const to = claimRecipients(p, p.claimant);
  const data = { fullName: to.fullName, kpj: p.kpj, claimId: input.claimId, type: input.type, status: input.status, total: input.total, reason: input.reason };
  if (to.email !== null) {
    await enqueueMessage(trx, { channel: 'email', to: to.email, now: input.now, message: { template: 'claim_status_email', ...data } });
  }
  await enqueueMessage(trx, { channel: 'sms', to: to.phone, now: input.now, message: { template: 'claim_status_sms', ...data } });
}

export type ClaimStatusName = 'submitted' | 'verified' | 'approved' | 'paid' | 'rejected' | 'returned';

/** The claimant as stored: the NIK sealed and hashed in place of the typed one (docs/security.md). */
function storedClaimant(claimant: Claimant, keys: NikKeys) {
  const { nik, ...rest } = claimant;
  const { nik_hash: nikHash, nik_sealed: nikSealed } = protectNik(nik, keys);
  return { ...rest, nikHash, nikSealed };
}

function claimRow(input: FileClaimInput, p: ParticipantRow, id: string, flags: string[], keys: NikKeys, now: Date) {
  const eventAt = input.type === 'JHT' ? null : eventAtOf(input);
  return {
    id,
    participant_id: p.id,
    kpj: p.kpj,
    type: input.type,
    status: 'submitted',
    reason: input.reason ?? null,
    reason_date: input.reasonDate ?? null,
    event: input.event ? JSON.stringify(input.event) : null,
    event_at: eventAt,
    claimant: input.claimant ? JSON.stringify(storedClaimant(input.claimant, keys)) : null,
    children: input.children ? JSON.stringify(input.children) : null,
    npwp: input.type === 'JHT' ? (input.npwp ?? null) : null,
    bank_account: JSON.stringify(input.bankAccount),
    flags,
    channel: input.channel,
    filed_by: input.actor,
    submitted_at: now,
    updated_at: now,
  };
}

/** Files a claim; throws ClaimRefusal (422, every failed rule) or `claim_in_progress` on the unique index. */
export async function fileClaim(deps: Deps, input: FileClaimInput): Promise<{ id: string; status: 'submitted' | 'verified'; type: ClaimType }> {
  const now = deps.clock.now();
  const p = await deps.db
    .selectFrom('participant')
    .select(['id', 'kpj', 'birth_date', 'created_at', 'full_name', 'email', 'phone'])
    .where('id', '=', input.participantId)
    .executeTakeFirst();
  if (!p) {
    throw new AppError('unknown_participant');
  }
  const verdict = await eligibilityOf(deps, p, input, now);
  if (verdict.failures.length > 0) {
    throw new ClaimRefusal(verdict.failures);
  }
  const id = newId('clm');
  const flags = verdict.flags.map((f) => CLAIM_FLAG_OF_RULE[f.rule]);
  const straight = straightThrough(deps, input, verdict.balance, now) && !sentToPerson(id, deps.config.claimsStraightThrough.sharePercent);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('claim').values(claimRow(input, p, id, flags, deps.config.nik, now)).execute();
      await recordClaimEvent(trx, { claimId: id, participantId: p.id, at: now, status: 'submitted', actor: input.actor, reason: null });
      if (input.channel === 'staff') {
        const after = { status: 'submitted', type: input.type, kpj: p.kpj, flags };
        await recordStaffAction(trx, { actor: input.actor, action: 'claim.file', subject: `claim:${id}`, reason: null, detail: { type: input.type }, before: null, after, at: now });
      }
      if (straight) {
        const total = await verifyAutomatically(trx, deps, { id, participantId: p.id, kpj: p.kpj, reason: input.reason as JhtReason, now });
        await notifyClaimStatus(trx, { participantId: p.id, claimId: id, type: input.type, status: 'verified', total, reason: null, now });
        return { id, status: 'verified' as const, type: input.type };
      }
      await notifyClaimStatus(trx, { participantId: p.id, claimId: id, type: input.type, status: 'submitted', total: null, reason: null, now });
      return { id, status: 'submitted' as const, type: input.type };
    });
  } catch (err) {
    if (isOpenClaimRace(err)) {
      throw new AppError('claim_in_progress', 'type', 'an open claim of this type exists');
    }
    throw err;
  }
}

function straightThrough(deps: Deps, input: FileClaimInput, balance: number, now: Date): boolean {
  return deps.config.claimsStraightThrough.on && input.type === 'JHT' && balance <= jhtSelfServiceCap(monthInJakarta(now), deps.rules);
}

async function verifyAutomatically(
  trx: Transaction<Database>,
  deps: Deps,
  c: { id: string; participantId: string; kpj: string; reason: JhtReason; now: Date },
): Promise<number> {
  const lines = await jhtClaimLines(trx, deps, { kpj: c.kpj, reason: c.reason, now: c.now });
  const total = await writeLines(trx, { claimId: c.id, participantId: c.participantId, lines });
  await trx
    .updateTable('claim')
    .set({ status: 'verified', verified_automatically: true, total, updated_at: c.now })
    .where('id', '=', c.id)
    .execute();
  await recordClaimEvent(trx, { claimId: c.id, participantId: c.participantId, at: c.now, status: 'verified', actor: 'system', reason: 'verified_automatically' });
  return total;
}
