import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { monthOfDate, localDateInJakarta, monthInJakarta, monthsBetween } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp, verifyOtp, createSession, deleteSession, findSession, lockSession } from '../auth/index.js';
import { cancelOpenBills, insertBill, maskName, toBillView, type BillView, priceContribution, type Quote, type QuoteRejection, holidayCalendarMissing, prepayHorizonMonths, type RuleBook } from '../contributions/index.js';
import { normalizePhone, maskNik, openNik } from '../identity/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { branchDirectory } from '../reference/index.js';
import { billableMonthsStart } from './domain/membership-status.js';
import { cardVerifyUrl, coveredFromOf, coveredThroughOf, findParticipantByKpj, findParticipantsByPhone, getMemberSummary, summarizeParticipant, type MemberSummary } from './participants.js';
import { lockKey } from '../../db/advisory-lock.js';
import { termsForMonth } from './data-change.js';
import { fundingPlanOf } from './funding-history.js';

/**
 * Always succeeds from the caller's point of view (the contract's "202 always"): whether the phone belongs to a
 * participant — or is a phone number at all — is not revealed, neither by the answer nor by later answers nor by the
 * time taken. Every phone number gets the same statements: a login challenge (for an unknown phone a code nobody is
 * told, so wrong codes are counted and locked alike), the same cooldown and daily bounds, and the SMS insert, which
 * queues a message only when the phone belongs to a participant. 'sms_limit_reached' when the phone (any phone) has
 * had its codes for today.
 */
export async function requestLoginOtp(deps: Deps, rawPhone: string): Promise<'accepted' | 'sms_limit_reached'> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) {
    return 'accepted';
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const otp = await issueOtp(trx, { purpose: 'login', subject: phone.value, phone: phone.value, now, secret: deps.config.otpSecret });
    if (!otp.ok) {
      // The same for every phone number, registered or not: the portal may say that today's codes are used up.
      return otp.code === 'sms_limit_reached' ? otp.code : 'accepted';
    }
    await enqueueMessage(trx, {
      channel: 'sms',
      to: phone.value,
      now,
      message: { template: 'login_otp', otp: otp.value.code },
      onlyIf: sql<boolean>`exists (select 1 from participant where phone = ${phone.value})`,
    });
    return 'accepted';
  });
}

export interface SignIn {
  token: string;
  expiresAt: Date;
  /** Every participant sharing the verified phone, newest first; the token opens the first. */
  participants: { kpj: string; nameMasked: string }[];
}

const sharingPhone = (participants: { kpj: string; full_name: string }[]) => participants.map((p) => ({ kpj: p.kpj, nameMasked: maskName(p.full_name) }));

export async function verifyLoginOtp(deps: Deps, rawPhone: string, code: string): Promise<Result<SignIn, 'invalid_otp' | 'too_many_attempts'>> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) {
    return reject('invalid_otp', 'phone');
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const checked = await verifyOtp(trx, { purpose: 'login', subject: phone.value, phone: phone.value, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) {
      return checked;
    }
    const participants = await findParticipantsByPhone(trx, phone.value);
    const newest = participants[0];
    if (!newest) {
      return reject('invalid_otp', 'phone');
    }
    const session = await createSession(trx, { participantId: newest.id, now, ttlMinutes: deps.config.sessionTtlMinutes, verifiedPhone: phone.value });
    return ok({ ...session, participants: sharingPhone(participants) });
  });
}

/**
 * The participants a session may switch between: those sharing the phone it was signed in with, newest first, the
 * one it opens marked `current`. Null for a dead session.
 */
export async function sessionChoices(deps: Deps, token: string): Promise<(SignIn['participants'][number] & { current: boolean })[] | null> {
  const session = await findSession(deps.db, token, deps.clock.now());
  if (!session) {
    return null;
  }
  const participants = session.verified_phone === null ? [] : await findParticipantsByPhone(deps.db, session.verified_phone);
  return participants.map((p) => ({ kpj: p.kpj, nameMasked: maskName(p.full_name), current: p.id === session.participant_id }));
}

/**
 * Re-issues a session for another participant sharing the phone the session was signed in with (a husband and wife
 * with one phone): the old token stops working, the new one ends when the old one would have. A KPJ not sharing that
 * phone is unknown_participant, whether or not it exists.
 */
export async function switchParticipant(deps: Deps, token: string, kpj: string): Promise<Result<SignIn, 'unauthorized' | 'unknown_participant'>> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const session = await lockSession(trx, token, now);
    if (!session) {
      return reject('unauthorized');
    }
    const participants = session.verified_phone === null ? [] : await findParticipantsByPhone(trx, session.verified_phone);
    const target = participants.find((p) => p.kpj === kpj);
    if (!target) {
      return reject('unknown_participant', 'kpj');
    }
    await deleteSession(trx, token);
    const next = await createSession(trx, {
      participantId: target.id,
      now,
      ttlMinutes: deps.config.sessionTtlMinutes,
      verifiedPhone: session.verified_phone,
      expiresAt: session.expires_at,
    });
    return ok({ ...next, participants: sharingPhone(participants) });
  });
}

/** The member's own view, with the start of their current cover (the staff view builds on it). */
export async function memberView(deps: Deps, s: MemberSummary) {
  const latestIncome = await deps.db.selectFrom('participant_income').select('from_month').where('participant_id', '=', s.participant.id).orderBy('from_month', 'desc').limit(1).executeTakeFirst();
  return { ...meView(s), declaredIncomeFrom: latestIncome?.from_month ?? null, coveredFrom: (await coveredFromOf(deps.db, s.participant.id, s.coveredThrough)) ?? '' };
}

function meView(s: MemberSummary) {
  return {
    kpj: s.participant.kpj,
    fullName: s.participant.full_name,
    status: s.status,
    programs: s.participant.programs,
    declaredIncome: s.participant.declared_income,
    coveredThrough: s.coveredThrough,
    nextDue: s.nextDue,
    overdueMonths: s.overdueMonths,
    occupationCode: s.participant.occupation_code,
    branchCode: s.participant.branch_code,
  };
}

/**
 * The prepayment horizon: no bill may extend cover more than the longest prepayment option (prepayHorizonMonths of
 * the rule book) beyond the current month (WIB).
 */
export function beyondPrepayHorizon(quote: Quote, now: Date, rules: RuleBook): boolean {
  const last = quote.months[quote.months.length - 1]?.month;
  return last !== undefined && monthsBetween(monthInJakarta(now), last) > prepayHorizonMonths(rules);
}

/**
 * A member pays the next months: from the month after their cover (arrears first, at most the 3 payable months),
 * or from the current month when inactive (old arrears are never charged). A new bill replaces any unpaid one.
 * `prepay_limit` when its last month would be beyond the prepayment horizon (beyondPrepayHorizon).
 */
export async function issueMemberBill(
  deps: Deps,
  participantId: string,
  months: number,
): Promise<Result<{ bill: BillView }, QuoteRejection | 'unauthorized' | 'prepay_limit'>> {
  const summary = await getMemberSummary(deps, participantId);
  if (!summary) {
    return reject('unauthorized');
  }
  const now = deps.clock.now();
  const p = summary.participant;
  const startMonth = billableMonthsStart({ coveredThrough: summary.coveredThrough, today: localDateInJakarta(now) }, deps.rules);
  // The declared income and programs in force for the bill's first month (member data changes: participant_income).
  const terms = await termsForMonth(deps.db, p, startMonth);
  // Each month priced with the funding in force for it (participant_funding): a prepayment may cross a change.
  const funding = await fundingPlanOf(deps.db, p);
  const quote = priceContribution(
    { ...terms, months, startMonth, sector: p.sector, ...funding },
    deps.rules,
  );
  if (!quote.ok) {
    return quote;
  }
  if (beyondPrepayHorizon(quote.value, now, deps.rules)) {
    return reject('prepay_limit', 'months');
  }
  const expiresAt = new Date(now.getTime() + deps.rules.firstBillLifetimeMs);
  const bill = await issueInTransaction(deps, async (trx) => {
    // One issuance at a time per member (an advisory lock no payment takes, so none waits on it); cancelling the open
    // bill waits for a payment of it already in flight, and only then is the cover read again: a bill never asks for
    // months that payment has just covered.
    await lockKey(trx, `lindung:member-bill:${participantId}`);
    await cancelOpenBills(trx, { participantId });
    const coveredThrough = (await coveredThroughOf(trx, participantId)) ?? summary.coveredThrough;
    const freshStart = billableMonthsStart({ coveredThrough, today: localDateInJakarta(now) }, deps.rules);
    let priced = quote.value;
    if (freshStart !== startMonth) {
      const repriced = priceContribution(
        { ...(await termsForMonth(trx, p, freshStart)), months, startMonth: freshStart, sector: p.sector, ...funding },
        deps.rules,
      );
      if (!repriced.ok) {
        throw new Error(`member bill could not be priced from ${freshStart}: ${repriced.code}`);
      }
      priced = repriced.value;
      if (beyondPrepayHorizon(priced, now, deps.rules)) {
        throw new BeyondPrepayHorizon(); // a payment in flight moved the cover on: the bill would now reach past it
      }
    }
    return insertBill(trx, { kind: 'renewal', registrationId: null, participantId, quote: priced, now, expiresAt });
  });
  if (!bill) {
    return reject('prepay_limit', 'months');
  }
  return ok({ bill: toBillView(bill, bill.lines, now) });
}

class BeyondPrepayHorizon extends Error {}

/** Runs the issuance; null (and everything it did rolled back, the cancelled bills too) when it went past the horizon. */
async function issueInTransaction<T>(deps: Deps, issue: (trx: Transaction<Database>) => Promise<T>): Promise<T | null> {
  try {
    return await deps.db.transaction().execute(issue);
  } catch (err) {
    if (err instanceof BeyondPrepayHorizon) {
      return null;
    }
    throw err;
  }
}

export interface CardData {
  kpj: string;
  fullName: string;
  programs: string[];
  coveredThrough: string;
  verifyUrl: string;
  status: MemberSummary['status'];
  branchName: string;
  issuedAt: Date;
}

export async function getCard(deps: Deps, participantId: string): Promise<CardData | null> {
  const s = await getMemberSummary(deps, participantId);
  if (!s) {
    return null;
  }
  const p = s.participant;
  return {
    kpj: p.kpj,
    fullName: p.full_name,
    programs: p.programs,
    coveredThrough: s.coveredThrough,
    verifyUrl: cardVerifyUrl(deps.config.publicBaseUrl, deps.cardSigner, p.kpj, p.created_at),
    status: s.status,
    branchName: (await branchDirectory(deps.db)).name(p.branch_code),
    issuedAt: p.created_at,
  };
}

/** What anyone scanning a card's QR code may learn: validity, KPJ, a masked name, and the live status. */
export async function verifyCardToken(deps: Deps, token: string) {
  const claims = deps.cardSigner.verify(token);
  if (!claims) {
    return { valid: false as const };
  }
  const p = await findParticipantByKpj(deps.db, claims.kpj);
  const s = p ? await summarizeParticipant(deps, p) : null;
  if (!s) {
    return { valid: false as const };
  }
  return { valid: true as const, kpj: s.participant.kpj, nameMasked: maskName(s.participant.full_name), status: s.status, coveredThrough: s.coveredThrough };
}

/** Staff and partner view of a participant. The NIK is shown masked even to staff; the full value stays in the database. */
export async function getParticipantForStaff(deps: Deps, kpj: string) {
  const p = await findParticipantByKpj(deps.db, kpj);
  const s = p ? await summarizeParticipant(deps, p) : null;
  if (!s) {
    return null;
  }
  return {
    ...(await memberView(deps, s)),
    nikMasked: maskNik(openNik(s.participant.nik_sealed, deps.config.nik)),
    phone: s.participant.phone,
    email: s.participant.email,
    sector: s.participant.sector,
    funding: s.participant.funding,
    joinedAt: s.participant.created_at.toISOString(),
    currentMonth: monthOfDate(localDateInJakarta(deps.clock.now())),
    // A warning for staff: no holiday calendar is entered for the year of the next due date, so it skips weekends only.
    holidayCalendarMissing: holidayCalendarMissing(Number(s.nextDue.month.slice(0, 4)), deps.rules),
  };
}
