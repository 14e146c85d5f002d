import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { monthOfDate, localDateInJakarta, monthInJakarta, monthsBetween } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { issueOtp, verifyOtp } from '../auth/otp.js';
import { createSession } from '../auth/session.js';
import { cancelOpenBills, insertBill, maskName, toBillView, type BillView } from '../contributions/bills.js';
import { priceContribution, type Quote, type QuoteRejection } from '../contributions/domain/price-contribution.js';
import type { RuleBook } from '../contributions/domain/rule-book.js';
import { walletHorizonMonths } from '../wallet/domain/wallet-sweep.js';
import { normalizePhone } from '../identity/domain/contact.js';
import { maskNik } from '../identity/domain/nik.js';
import { enqueueMessage } from '../notifications/outbox.js';
import { findBranch } from '../reference/branches.js';
import { billableMonthsStart } from './domain/membership-status.js';
import { cardVerifyUrl, coveredFromOf, coveredThroughOf, findParticipantByKpj, findParticipantByPhone, getMemberSummary, summarizeParticipant, type MemberSummary } from './participants.js';

/**
 * Always succeeds from the caller's point of view (the contract's "202 always"): whether the phone belongs to a
 * participant — or is a phone number at all — is not revealed.
 */
export async function requestLoginOtp(deps: Deps, rawPhone: string): Promise<void> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) {
    return;
  }
  const participant = await findParticipantByPhone(deps.db, phone.value);
  if (!participant) {
    return;
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const otp = await issueOtp(trx, { purpose: 'login', subject: phone.value, now, secret: deps.config.otpSecret });
    if (otp.ok) {
      await enqueueMessage(trx, { channel: 'sms', to: phone.value, now, message: { template: 'login_otp', otp: otp.value.code } });
    }
  });
}

export async function verifyLoginOtp(
  deps: Deps,
  rawPhone: string,
  code: string,
): Promise<Result<{ token: string; expiresAt: Date }, 'invalid_otp' | 'too_many_attempts'>> {
  const phone = normalizePhone(rawPhone);
  if (!phone.ok) {
    return reject('invalid_otp', 'phone');
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const checked = await verifyOtp(trx, { purpose: 'login', subject: phone.value, code, now, secret: deps.config.otpSecret });
    if (!checked.ok) {
      return checked;
    }
    const participant = await findParticipantByPhone(trx, phone.value);
    if (!participant) {
      return reject('invalid_otp', 'phone');
    }
    return ok(await createSession(trx, { participantId: participant.id, now, ttlMinutes: deps.config.sessionTtlMinutes }));
  });
}

export function meView(s: MemberSummary) {
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
 * The prepayment horizon: no bill may extend cover more than 12 months (the longest prepayment option) beyond the
 * current month (WIB).
 */
export function beyondPrepayHorizon(quote: Quote, now: Date, rules: RuleBook): boolean {
  const last = quote.months[quote.months.length - 1]?.month;
  return last !== undefined && monthsBetween(monthInJakarta(now), last) > walletHorizonMonths(rules);
}

/**
 * A member pays the next months: from the month after their cover (arrears first, at most the 3 payable months),
 * or from the current month when inactive (old arrears are never charged). A new bill replaces any unpaid one.
 * `prepay_limit` when its last month would be more than 12 months beyond the current month.
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
  const quote = priceContribution(
    { declaredIncome: p.declared_income, programs: p.programs, months, startMonth, sector: p.sector, funding: p.funding },
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
    await sql`select pg_advisory_xact_lock(hashtextextended(${`lindung:member-bill:${participantId}`}, 0))`.execute(trx);
    await cancelOpenBills(trx, { participantId });
    const coveredThrough = (await coveredThroughOf(trx, participantId)) ?? summary.coveredThrough;
    const freshStart = billableMonthsStart({ coveredThrough, today: localDateInJakarta(now) }, deps.rules);
    let priced = quote.value;
    if (freshStart !== startMonth) {
      const repriced = priceContribution(
        { declaredIncome: p.declared_income, programs: p.programs, months, startMonth: freshStart, sector: p.sector, funding: p.funding },
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
    branchName: findBranch(p.branch_code)?.name ?? p.branch_code,
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
    ...meView(s),
    coveredFrom: (await coveredFromOf(deps.db, s.participant.id, s.coveredThrough)) ?? '',
    nikMasked: maskNik(s.participant.nik),
    phone: s.participant.phone,
    email: s.participant.email,
    sector: s.participant.sector,
    funding: s.participant.funding,
    joinedAt: s.participant.created_at.toISOString(),
    currentMonth: monthOfDate(localDateInJakarta(deps.clock.now())),
  };
}
