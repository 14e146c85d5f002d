import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { localDateInJakarta, monthInJakarta } from '../../shared/month.js';
import { contributionBase } from '../contributions/index.js';
import { jhtBalanceAndAccrual } from '../jht/index.js';
import { jhtLines, jkkLines, jkkScholarshipApplies, jkmLines, linesTotal, scholarshipLines, type BenefitLine, type ChildFacts, type JkkAssessment } from './domain/benefit-lines.js';
import { defaultClaimRuleBook } from './domain/claims-rule-book.js';
import type { Failure, JhtReason } from './domain/eligibility.js';

/**
 * The entitlement of a claim (its `claim_line` rows and total), computed by the pure benefit lines of
 * domain/benefit-lines.ts on the facts read here: the JHT balance and this year's accrual (JHT), the contribution base
 * in force in the event's month (JKK: the member's declared income on that month's ladder), paid months and the
 * children (scholarships).
 */
type Executor = Kysely<Database> | Transaction<Database>;

/** A full withdrawal pays the balance and the accrued return; a partial one 10% / 30% of the balance only. */
export function jhtWithdrawalKind(reason: string | null): 'full' | 'partial_10' | 'partial_30' {
  return reason === 'partial_10' || reason === 'partial_30' ? reason : 'full';
}

export async function jhtClaimLines(
  db: Executor,
  deps: Pick<Deps, 'rules'>,
  c: { kpj: string; reason: JhtReason | string | null; now: Date },
): Promise<BenefitLine[]> {
  const { balance, accrued } = await jhtBalanceAndAccrual(db, c.kpj, localDateInJakarta(c.now));
  const kind = jhtWithdrawalKind(c.reason);
  const lines = jhtLines({ reason: kind, balance, accrued: kind === 'full' ? accrued : 0, at: c.now }, { claimRules: defaultClaimRuleBook });
  return lines.filter((l) => l.amount > 0);
}

async function paidMonthsThrough(db: Executor, participantId: string, eventAt: Date): Promise<number> {
  const row = await db
    .selectFrom('coverage_month')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('participant_id', '=', participantId)
    .where('month', '<=', monthInJakarta(eventAt))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface LinesFacts {
  participantId: string;
  type: 'JKK' | 'JKM';
  eventAt: Date;
  declaredIncome: number;
  children: ChildFacts[];
  assessment: JkkAssessment | null;
  now: Date;
}

/**
 * What a verification found but does not pay (a child beyond the cap, too old, …), in both languages: stored on the
 * claim (`claim.verification`) so the staff view explains it in the reader's language.
 */
export interface VerificationNote {
  code: Failure['code'];
  rule: Failure['rule'];
  id: { message: string; todo: string };
  en: { message: string; todo: string };
}

/** JKK/JKM lines, with the scholarship reasons a child gets none (explanations for the officer). */
export async function pooledClaimLines(db: Executor, deps: Pick<Deps, 'rules'>, f: LinesFacts): Promise<{ lines: BenefitLine[]; notes: VerificationNote[] }> {
  const rules = { rules: deps.rules, claimRules: defaultClaimRuleBook };
  let lines: BenefitLine[];
  let scholarship = f.children.length > 0;
  if (f.type === 'JKM') {
    lines = jkmLines(f.eventAt, rules);
  } else {
    if (f.assessment === null) {
      throw new AppError('invalid_request', 'assessment', 'a JKK verification carries the assessment');
    }
    const base = contributionBase(f.declaredIncome, monthInJakarta(f.eventAt), deps.rules);
    const computed = base.ok ? jkkLines({ assessment: f.assessment, base: base.value, eventAt: f.eventAt }, rules) : base;
    if (!computed.ok) {
      throw new AppError('invalid_request', `assessment.${computed.field ?? 'outcome'}`, computed.detail);
    }
    lines = computed.value;
    scholarship = scholarship && jkkScholarshipApplies(f.assessment.outcome);
  }
  if (!scholarship) {
    return { lines, notes: [] };
  }
  const paidMonths = await paidMonthsThrough(db, f.participantId, f.eventAt);
  const input = { program: f.type, eventAt: f.eventAt, at: f.now, paidMonths, children: f.children };
  const s = scholarshipLines(input, rules);
  const en = scholarshipLines(input, { ...rules, lang: 'en' }).failures;
  const notes = s.failures.map((n, i) => ({ code: n.code, rule: n.rule, id: { message: n.message, todo: n.todo }, en: { message: en[i]?.message ?? n.message, todo: en[i]?.todo ?? n.todo } }));
  return { lines: [...lines, ...s.lines], notes };
}

/** Replaces the claim's lines; returns their total. */
export async function writeLines(trx: Transaction<Database>, c: { claimId: string; participantId: string; lines: readonly BenefitLine[] }): Promise<number> {
  await trx.deleteFrom('claim_line').where('claim_id', '=', c.claimId).execute();
  if (c.lines.length > 0) {
    await trx
      .insertInto('claim_line')
      .values(c.lines.map((l, i) => ({ claim_id: c.claimId, participant_id: c.participantId, n: i + 1, benefit: l.benefit, amount: l.amount, child: l.child ?? null })))
      .execute();
  }
  return linesTotal(c.lines);
}
