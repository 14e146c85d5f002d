import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { onPayerRosterSql } from '../../db/payer-in-force.js';
import { fundingKeySql } from '../../db/funding-key.js';
import { idUntil } from '../../db/id-range.js';

/**
 * Due-date reminders (H-3, due date, overdue) for one batch of participants by id order, in two statements:
 *
 * 1. `readReminderBatch` fixes the batch (its last id) and returns the distinct pricing combinations in it
 *    (declared income, programs, sector, funding) — a handful, whatever the batch size;
 * 2. the caller prices each combination once in TypeScript (priceContribution, the one pricing rule) for each
 *    audience row, and `queueRemindersBatch` joins those prices in SQL and inserts one email and one SMS per member
 *    whose last covered month is in the audience, with deterministic ids `rem:<participant>:<month>:<kind>:<channel>`
 *    and ON CONFLICT DO NOTHING: each reminder is queued at most once per member, month, kind and channel, however
 *    often the job runs or resumes.
 *
 * The rows carry only the template and its data (amount included), like the settlement function's rows; they are
 * rendered by stored-message.ts when read or delivered.
 */
export type ReminderKindName = 'h3' | 'due' | 'overdue';

export interface ReminderCombo {
  declaredIncome: number;
  /** Programs joined with ',' in stored order, e.g. 'JKK,JKM'. */
  programs: string;
  sector: 'transport' | 'other';
  /**
   * The member's funding key (src/db/funding-key.ts): the funding ('self', 'apbd', …) or, for a member with an
   * effective-dated history, its rows ('2026-01:self|2027-01:apbd'); the pricing reads it with parseFundingKey.
   */
  funding: string;
}

export async function readReminderBatch(
  trx: Transaction<Database>,
  input: { cursor: string; limit: number; /** Inclusive upper bound on the ids (a lane's end); null or absent: none. */ until?: string | null },
): Promise<{ lastId: string | null; scanned: number; combos: ReminderCombo[] }> {
  const { rows } = await sql<{ last_id: string | null; scanned: number; combos: [number, string, ReminderCombo['sector'], ReminderCombo['funding']][] }>`
    select max(b.id) as last_id,
           count(*)::int as scanned,
           coalesce(jsonb_agg(distinct jsonb_build_array(b.declared_income, array_to_string(b.programs, ','), b.sector,
                                                         ${fundingKeySql(sql.ref('b.id'), sql.ref('b.funding'))})),
                    '[]'::jsonb) as combos
      from (select id, declared_income, programs, sector, funding
              from participant
             where id > ${input.cursor}::text ${idUntil(sql.ref('id'), input.until)}
             order by id
             limit ${input.limit}::int) b
  `.execute(trx);
  const row = rows[0];
  return {
    lastId: row?.last_id ?? null,
    scanned: row?.scanned ?? 0,
    combos: (row?.combos ?? []).map(([declaredIncome, programs, sector, funding]) => ({ declaredIncome: Number(declaredIncome), programs, sector, funding })),
  };
}

/** One audience row: members whose last covered month is `coveredThrough` owe `months` (firstUnpaid … the month). */
export interface AudienceRow {
  coveredThrough: string;
  firstUnpaid: string;
  monthCount: number;
  payBy: string | null;
}

/** The amount a combination owes for an audience row (null when it cannot be priced: the message then omits it). */
export interface PriceRow extends ReminderCombo {
  coveredThrough: string;
  amount: number | null;
}

export interface QueueRemindersInput {
  fromIdExclusive: string;
  toIdInclusive: string;
  month: string;
  kind: ReminderKindName;
  dueDate: string;
  audience: readonly AudienceRow[];
  prices: readonly PriceRow[];
  now: Date;
}

export async function queueRemindersBatch(trx: Transaction<Database>, input: QueueRemindersInput): Promise<{ recipients: number; queued: number }> {
  const audience = JSON.stringify(input.audience.map((a) => ({ ct: a.coveredThrough, fm: a.firstUnpaid, n: a.monthCount, pb: a.payBy })));
  const prices = JSON.stringify(
    input.prices.filter((p) => p.amount !== null).map((p) => ({ i: p.declaredIncome, p: p.programs, s: p.sector, f: p.funding, ct: p.coveredThrough, a: p.amount })),
  );
  const { rows } = await sql<{ recipients: number; queued: number }>`
    with aud as (
      select * from jsonb_to_recordset(${audience}::jsonb) as a (ct text, fm text, n int, pb text)
    ),
    pr as (
      select * from jsonb_to_recordset(${prices}::jsonb) as x (i bigint, p text, s text, f text, ct text, a bigint)
    ),
    r as (
      select p.id, p.kpj, p.full_name, p.email, p.phone, aud.fm, aud.n, aud.pb, pr.a as amount
        from participant p
        cross join lateral (select max(cm.month) as ct from coverage_month cm where cm.participant_id = p.id) cv
        join aud on aud.ct = cv.ct
        left join pr on pr.i = p.declared_income and pr.p = array_to_string(p.programs, ',') and pr.s = p.sector
                    and pr.f = ${fundingKeySql(sql.ref('p.id'), sql.ref('p.funding'))} and pr.ct = cv.ct
       where p.id > ${input.fromIdExclusive}::text and p.id <= ${input.toIdInclusive}::text
         -- Members on a payer's roster for the month are not reminded: their payer pays it (src/modules/rosters).
         and not ${onPayerRosterSql(sql.ref('p.id'), sql.ref('p.funding'), sql.ref('p.registration_id'), sql`${input.month}::text`)}
    ),
    msg as (
      insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
      select 'rem:' || r.id || ':' || ${input.month}::text || ':' || ${input.kind}::text || ':' || ch.channel,
             ch.channel,
             case ch.channel when 'email' then r.email else r.phone end,
             '', '',
             case ch.channel when 'email' then 'due_reminder_email' else 'due_reminder_sms' end,
             jsonb_build_object(
               'fullName', r.full_name, 'kpj', r.kpj, 'kind', ${input.kind}::text, 'month', ${input.month}::text,
               'firstMonth', r.fm, 'monthCount', r.n, 'dueDate', ${input.dueDate}::text, 'amount', r.amount, 'payBy', r.pb),
             ${input.now}::timestamptz, ${input.now}::timestamptz
        from r
        cross join (values ('email'), ('sms')) ch (channel)
      on conflict (id) do nothing
      returning 1
    )
    select (select count(*) from r)::int as recipients, (select count(*) from msg)::int as queued
  `.execute(trx);
  return { recipients: rows[0]?.recipients ?? 0, queued: rows[0]?.queued ?? 0 };
}
