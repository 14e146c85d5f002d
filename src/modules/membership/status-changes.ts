import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, MembershipStatusChange } from '../../db/database.js';
import { idUntil } from '../../db/id-range.js';
import type { MembershipStatus } from './domain/membership-status.js';

/**
 * Recording changes of the derived membership status, one batch of participants (by id order) per statement.
 *
 * The status is never stored as a flag: for a given day it is a function of the last covered month alone, and the
 * caller passes that function as a table (`activeFrom`, and one row per lapsed covered-through month, computed by
 * `statusTable` from membershipStatus). For each participant of the batch the statement compares the status of the
 * day with the last recorded one (no record = 'active': a participant exists only once a first bill is paid) and,
 * where they differ, records the change and queues one email and one SMS telling the member, all with deterministic
 * keys and ON CONFLICT DO NOTHING, so running it again changes nothing.
 *
 * Effective date: a lapse (to arrears or inactive) takes effect on the day after the due date that caused it (the
 * table's `since`); a recovery (to active, or inactive → arrears) on the day the covering bill was paid (WIB). Never
 * earlier than the last recorded change, so the history stays in order.
 *
 * Reasons: 'unpaid:<first unpaid month>' (→ arrears), 'more_than_<n>_unpaid_months' (→ inactive), 'payment'
 * (arrears → active), 'reactivation' (inactive → active or arrears). See STATUS_REASONS.
 */
/** A lapsed covered-through month on the day (the monthly cycle's statusTable rows). */
export interface LapsedCover {
  coveredThrough: string;
  status: MembershipStatus;
  firstUnpaid: string;
  since: string | null;
  reason: string | null;
  payBy: string | null;
}

export interface StatusBatchInput {
  cursor: string;
  limit: number;
  /** Inclusive upper bound on the ids (a lane's end); null or absent: none. */
  until?: string | null;
  today: string;
  activeFrom: string;
  lapsed: readonly LapsedCover[];
  /** Used when a lapsed cover is missing from the table (cannot happen with statusTable's default range). */
  inactiveReason: string;
  arrearsWindowMonths: number;
  now: Date;
}

export interface StatusBatchResult {
  lastId: string | null;
  scanned: number;
  changes: number;
  messages: number;
}

export function lapsedTableJson(lapsed: readonly LapsedCover[]): string {
  const table: Record<string, { s: string; d: string | null; r: string | null; f: string; b: string | null }> = {};
  for (const c of lapsed) {
    table[c.coveredThrough] = { s: c.status, d: c.since, r: c.reason, f: c.firstUnpaid, b: c.payBy };
  }
  return JSON.stringify(table);
}

/** The batch's participants with their covered-through month (ct), last recorded status and the status of the day. */
function dayStatusCtes(input: StatusBatchInput, lapsed: string) {
  return sql`
    b as (
      select p.id, p.kpj, p.full_name, p.email, p.phone
        from participant p
       where p.id > ${input.cursor}::text ${idUntil(sql.ref('p.id'), input.until)}
       order by p.id
       limit ${input.limit}::int
    ),
    s as (
      select b.*, cv.ct, last.to_status as last_status, last.effective_date as last_date
        from b
        cross join lateral (select max(cm.month) as ct from coverage_month cm where cm.participant_id = b.id) cv
        left join lateral (
          select c.to_status, c.effective_date
            from membership_status_change c
           where c.participant_id = b.id
           order by c.id desc
           limit 1
        ) last on true
       where cv.ct is not null
    ),
    d as (
      select s.*,
             coalesce(s.last_status, 'active') as from_status,
             case when s.ct >= ${input.activeFrom}::text then 'active'
                  else coalesce(${lapsed}::jsonb -> s.ct ->> 's', 'inactive') end as to_status,
             ${lapsed}::jsonb -> s.ct as st
        from s
    )
  `;
}

/** The participants whose status of the day differs from the recorded one, each change dated and with its reason. */
function datedChangeCtes(input: StatusBatchInput) {
  return sql`
    changes as (
      select d.*,
             array_position(array['active', 'arrears', 'inactive'], d.to_status)
               > array_position(array['active', 'arrears', 'inactive'], d.from_status) as is_lapse
        from d
       where d.to_status <> d.from_status
    ),
    dated as (
      select c.*,
             greatest(
               case when c.is_lapse then coalesce((c.st ->> 'd')::date, ${input.today}::date)
                    else coalesce((select ((bl.paid_at at time zone 'UTC') + interval '7 hours')::date
                                     from coverage_month cm join bill bl on bl.id = cm.bill_id
                                    where cm.participant_id = c.id and cm.month = c.ct), ${input.today}::date)
               end,
               c.last_date) as effective_date,
             case when c.is_lapse then coalesce(c.st ->> 'r', ${input.inactiveReason}::text)
                  when c.from_status = 'inactive' then 'reactivation'
                  else 'payment' end as reason
        from changes c
    )
  `;
}

/** The writes: the recorded changes and, for each, one email and one SMS in the outbox. */
function changeWriteCtes(input: StatusBatchInput) {
  return sql`
    ins as (
      insert into membership_status_change (participant_id, from_status, to_status, effective_date, reason, recorded_at)
      select id, from_status, to_status, effective_date, reason, ${input.now}::timestamptz from dated
      on conflict (participant_id, effective_date, to_status) do nothing
      returning 1
    ),
    -- Not joined to ins (CTE row estimates would make that a nested loop): a change and its messages share their
    -- keys and are written in one statement, so a change that already exists already has its messages, and their
    -- inserts are no-ops together.
    msg as (
      insert into outbox_message (id, channel, recipient, subject, body, template, data, next_attempt_at, created_at)
      select 'sts:' || x.id || ':' || to_char(x.effective_date, 'YYYY-MM-DD') || ':' || x.to_status || ':' || ch.channel,
             ch.channel,
             case ch.channel when 'email' then x.email else x.phone end,
             '', '',
             case ch.channel when 'email' then 'status_changed_email' else 'status_changed_sms' end,
             jsonb_build_object(
               'fullName', x.full_name, 'kpj', x.kpj, 'from', x.from_status, 'to', x.to_status,
               'effectiveDate', to_char(x.effective_date, 'YYYY-MM-DD'), 'reason', x.reason, 'coveredThrough', x.ct,
               'firstUnpaid', x.st ->> 'f', 'payBy', x.st ->> 'b', 'arrearsWindowMonths', ${input.arrearsWindowMonths}::int),
             ${input.now}::timestamptz, ${input.now}::timestamptz
        from dated x
        cross join (values ('email'), ('sms')) ch (channel)
      on conflict (id) do nothing
      returning 1
    )
  `;
}

export async function recordStatusChangesBatch(trx: Transaction<Database>, input: StatusBatchInput): Promise<StatusBatchResult> {
  const lapsed = lapsedTableJson(input.lapsed);
  const { rows } = await sql<{ last_id: string | null; scanned: number; changes: number; messages: number }>`
    with ${dayStatusCtes(input, lapsed)},
    ${datedChangeCtes(input)},
    ${changeWriteCtes(input)}
    select (select max(id) from b) as last_id,
           (select count(*) from b)::int as scanned,
           (select count(*) from ins)::int as changes,
           (select count(*) from msg)::int as messages
  `.execute(trx);
  const row = rows[0];
  return { lastId: row?.last_id ?? null, scanned: row?.scanned ?? 0, changes: row?.changes ?? 0, messages: row?.messages ?? 0 };
}

/** A participant's recorded status changes, oldest first. */
export async function listStatusChanges(db: Kysely<Database>, participantId: string): Promise<MembershipStatusChange[]> {
  return db.selectFrom('membership_status_change').selectAll().where('participant_id', '=', participantId).orderBy('id').execute();
}
