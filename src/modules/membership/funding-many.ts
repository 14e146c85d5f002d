import { sql, type Transaction } from 'kysely';
import type { Database, Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { isMonth, localDateInJakarta, monthInJakarta } from '../../shared/month.js';
import { recordStaffActions, type StaffAction } from '../audit/index.js';
import { cancelOpenBills, fundingInForce } from '../contributions/index.js';
import { incomeEffectiveMonth } from './domain/data-change.js';
import { type FundingChangeError, priceChanges, type SetFundingInput } from './funding.js';
import type { FundingRow } from './funding-history.js';

/** One member's outcome of setFundingMany: the month the funding applies from, or why it was refused. */
export type SetFundingOutcome = { ok: true; fromMonth: string } | { ok: false; code: FundingChangeError['code'] };

interface LockedMember {
  id: string;
  kpj: string;
  funding: Funding;
  declared_income: number;
  programs: string[];
  sector: string;
  payer_id: string | null;
  first_month: string | null;
  covered_through: string | null;
}

/** The members, locked in id order (no deadlock between two chunks), with their first and last covered months. */
async function lockedMembers(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, LockedMember>> {
  const { rows } = await sql<LockedMember>`
    select p.id, p.kpj, p.funding, p.declared_income, p.programs, p.sector, r.payer_id,
           (select min(cm.month) from coverage_month cm where cm.participant_id = p.id) as first_month,
           (select max(cm.month) from coverage_month cm where cm.participant_id = p.id) as covered_through
      from participant p left join registration r on r.id = p.registration_id
     where p.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
     order by p.id
       for update of p`.execute(trx);
  return new Map(rows.map((r) => [r.id, { ...r, declared_income: Number(r.declared_income) }]));
}

/** The members' funding histories, oldest first (fundingHistory for many). */
async function histories(trx: Transaction<Database>, ids: readonly string[]): Promise<Map<string, FundingRow[]>> {
  const rows = await trx
    .selectFrom('participant_funding')
    .select(['participant_id', 'from_month', 'funding', 'payer_id', 'payer_name'])
    .where('participant_id', 'in', ids)
    .orderBy('participant_id')
    .orderBy('from_month')
    .execute();
  const out = new Map<string, FundingRow[]>();
  for (const r of rows) {
    const list = out.get(r.participant_id) ?? [];
    list.push({ fromMonth: r.from_month, funding: r.funding, payerId: r.payer_id, payerName: r.payer_name });
    out.set(r.participant_id, list);
  }
  return out;
}

interface FundingInsert {
  participant_id: string;
  from_month: string;
  funding: Funding;
  payer_id: string | null;
  payer_name: string | null;
  actor: string;
  created_at: Date;
}

interface Planned {
  inserts: FundingInsert[];
  upserts: FundingInsert[];
  cancel: string[];
  participants: { id: string; funding: Funding; at: Date }[];
  audits: StaffAction[];
}

const planOf = (rows: readonly FundingRow[]) => rows.map((r) => ({ fromMonth: r.fromMonth, funding: r.funding }));

/** One member's change (setFunding's rules), added to `out`; its outcome. */
function planOne(deps: Deps, input: SetFundingInput, p: LockedMember | undefined, before: FundingRow[], out: Planned): SetFundingOutcome {
  const now = input.now ?? deps.clock.now();
  const nextUnpaid = p?.covered_through ? incomeEffectiveMonth({ coveredThrough: p.covered_through, today: localDateInJakarta(deps.clock.now()) }, deps.rules) : null;
  if (!p || nextUnpaid === null) {
    return { ok: false, code: 'unknown_participant' };
  }
  const fromMonth = input.fromMonth ?? nextUnpaid;
  if (!isMonth(fromMonth)) {
    return { ok: false, code: 'invalid_month' };
  }
  if (fromMonth < nextUnpaid) {
    return { ok: false, code: 'funding_month_paid' };
  }
  const payerId = input.funding === 'self' ? null : input.payerId;
  const payerName = input.funding === 'self' ? null : (input.payerName ?? null);
  const after = before.filter((r) => r.fromMonth !== fromMonth);
  const firstMonth = p.first_month ?? fromMonth;
  if (before.length === 0 && firstMonth < fromMonth) {
    out.inserts.push({ participant_id: p.id, from_month: firstMonth, funding: p.funding, payer_id: p.payer_id, payer_name: null, actor: 'system', created_at: now });
    after.push({ fromMonth: firstMonth, funding: p.funding, payerId: p.payer_id, payerName: null });
  }
  out.upserts.push({ participant_id: p.id, from_month: fromMonth, funding: input.funding, payer_id: payerId, payer_name: payerName, actor: input.actor, created_at: now });
  after.push({ fromMonth, funding: input.funding, payerId, payerName });
  after.sort((a, b) => a.fromMonth.localeCompare(b.fromMonth));
  if (priceChanges(deps.rules, p, planOf(before), planOf(after), fromMonth)) {
    out.cancel.push(p.id);
  }
  out.participants.push({ id: p.id, funding: fundingInForce(planOf(after), p.funding, monthInJakarta(now)), at: now });
  out.audits.push({
    actor: input.actor,
    action: 'participant.update',
    subject: `participant:${p.kpj}`,
    reason: input.reason ?? null,
    detail: { changed: ['funding'], effectiveFrom: fromMonth },
    before: { funding: fundingInForce(planOf(before), p.funding, fromMonth) },
    after: { funding: input.funding, payerId, payerName },
    at: now,
  });
  return { ok: true, fromMonth };
}

/**
 * setFunding for many members at once, in the caller's transaction and a few statements (the roster upload's chunks,
 * issue 17 item 3): the same rules and writes per member — history rows (the funding before on the first change),
 * participant.funding, open bills cancelled when the price changes except those on a payer's collective, one audit row
 * each — with an outcome per input instead of a throw. Each member at most once per call. Re-running it gives the same
 * rows (the history row is an upsert; the row before is only written while the history is empty).
 */
export async function setFundingMany(trx: Transaction<Database>, deps: Deps, inputs: readonly SetFundingInput[]): Promise<SetFundingOutcome[]> {
  if (inputs.length === 0) {
    return [];
  }
  const ids = [...new Set(inputs.map((i) => i.participantId))];
  if (ids.length !== inputs.length) {
    throw new Error('setFundingMany: a member named twice');
  }
  const members = await lockedMembers(trx, ids);
  const history = await histories(trx, ids);
  const out: Planned = { inserts: [], upserts: [], cancel: [], participants: [], audits: [] };
  const outcomes = inputs.map((input) => planOne(deps, input, members.get(input.participantId), history.get(input.participantId) ?? [], out));
  await writePlanned(trx, out);
  return outcomes;
}

async function writePlanned(trx: Transaction<Database>, out: Planned): Promise<void> {
  if (out.inserts.length > 0) {
    await trx.insertInto('participant_funding').values(out.inserts).execute();
  }
  if (out.upserts.length > 0) {
    await trx
      .insertInto('participant_funding')
      .values(out.upserts)
      .onConflict((oc) =>
        oc.columns(['participant_id', 'from_month']).doUpdateSet((eb) => ({
          funding: eb.ref('excluded.funding'),
          payer_id: eb.ref('excluded.payer_id'),
          payer_name: eb.ref('excluded.payer_name'),
          actor: eb.ref('excluded.actor'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }
  if (out.cancel.length > 0) {
    await cancelOpenBills(trx, { participantIds: out.cancel }, { keepCollective: true });
  }
  if (out.participants.length > 0) {
    const data = out.participants.map((p) => ({ i: p.id, f: p.funding, t: p.at.toISOString() }));
    await sql`update participant p set funding = x.f, updated_at = x.t
                from jsonb_to_recordset(${JSON.stringify(data)}::jsonb) as x (i text, f text, t timestamptz)
               where p.id = x.i`.execute(trx);
  }
  await recordStaffActions(trx, out.audits);
}
