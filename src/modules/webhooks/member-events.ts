import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { monthInJakarta } from '../../shared/month.js';
import type { Database } from '../../db/database.js';
import { idUntil } from '../../db/id-range.js';

/**
 * The member events a partner's endpoint receives (issue 17 item 2), queued set-based in the transaction that records
 * the change, for members a partner pays for (the funding in force: participant_funding, else the registration's
 * funding 'partner' and payer_id = the partner's id; the owner is 'partner:<payer_id>'), and only where that owner has an active endpoint subscribed
 * to the type. Event ids are deterministic (from the keys of the change), so a retried transaction or batch queues
 * nothing twice. The data: { kpj, status, coveredThrough, at } (+ previousStatus, effectiveDate for a status
 * change) — never the NIK or a name.
 */
type Db = Transaction<Database> | Kysely<Database>;

/** One probe: no active endpoint at all (the usual case until partners subscribe) = nothing to look up. */
async function anyActiveEndpoint(db: Db): Promise<boolean> {
  const row = await db.selectFrom('webhook_endpoint').select('id').where('active', '=', true).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Where a member's events go: the endpoint, subscribed to `type`, of the partner paying in `month` — the funding in
 * force (the same rule as fundingForMonth: the participant_funding row of the latest from_month <= month, before the
 * first row the first row; a member without rows as their registration says), so a member moved under a partner by
 * setFunding gets events, and one moved away stops getting them. A primary-key look-up per member (set-based).
 */
function partnerEndpointJoin(type: string, month: RawBuilder<unknown>) {
  return sql`
    left join registration r on r.id = p.registration_id
    left join lateral (
      select pf.funding, pf.payer_id from participant_funding pf
       where pf.participant_id = p.id
       order by (pf.from_month <= ${month}) desc, case when pf.from_month <= ${month} then pf.from_month end desc, pf.from_month
       limit 1
    ) f on true
    join webhook_endpoint e on e.active
                           and e.owner = 'partner:' || case when f.funding is not null then (case when f.funding = 'partner' then f.payer_id end)
                                                            when r.funding = 'partner' then r.payer_id end
                           and (cardinality(e.events) = 0 or ${type}::text = any(e.events))`;
}

export interface Activation {
  participantId: string;
  /** The settlement's card message id (one per first settlement): the event id derives from it. */
  sourceId: string;
  coveredThrough: string | null;
  at: Date;
}

/** `member.activated` for each activation (a first settlement) of a partner-paid member; returns how many were queued. */
export async function enqueueMemberActivated(db: Db, activations: readonly Activation[], now: Date): Promise<number> {
  if (activations.length === 0 || !(await anyActiveEndpoint(db))) {
    return 0;
  }
  const { rows } = await sql<{ n: number }>`
    with a as (
      select * from unnest(${activations.map((a) => a.participantId)}::text[], ${activations.map((a) => a.sourceId)}::text[],
                           ${activations.map((a) => a.coveredThrough)}::text[], ${activations.map((a) => a.at.toISOString())}::text[])
               as a (participant_id, source_id, covered_through, at)
    ),
    ins as (
      insert into webhook_delivery (id, participant_id, endpoint_id, event_type, payload, next_attempt_at, created_at)
      select 'member.activated:' || a.source_id, p.id, e.id, 'member.activated',
             jsonb_build_object('type', 'member.activated', 'timestamp', ${now.toISOString()}::text,
               'data', jsonb_build_object('kpj', p.kpj, 'status', 'active', 'coveredThrough', a.covered_through, 'at', a.at)),
             ${now}::timestamptz, ${now}::timestamptz
        from a
        join participant p on p.id = a.participant_id
        ${partnerEndpointJoin('member.activated', sql`${monthInJakarta(now)}::text`)}
      on conflict (participant_id, id) do nothing
      returning 1
    )
    select count(*)::int as n from ins
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * `member.status_changed` for the status changes recorded at `recordedAt` (the status job's batch instant) among the
 * participants with ids in (cursor, lastId] — the batch the job just walked, in the same transaction.
 */
export async function enqueueMemberStatusChanged(db: Db, range: { cursor: string; lastId: string; recordedAt: Date }): Promise<number> {
  if (!(await anyActiveEndpoint(db))) {
    return 0;
  }
  const { rows } = await sql<{ n: number }>`
    with ins as (
      insert into webhook_delivery (id, participant_id, endpoint_id, event_type, payload, next_attempt_at, created_at)
      select 'member.status_changed:' || c.participant_id || ':' || to_char(c.effective_date, 'YYYY-MM-DD') || ':' || c.to_status,
             p.id, e.id, 'member.status_changed',
             jsonb_build_object('type', 'member.status_changed', 'timestamp', ${range.recordedAt.toISOString()}::text,
               'data', jsonb_build_object('kpj', p.kpj, 'status', c.to_status, 'previousStatus', c.from_status,
                 'effectiveDate', to_char(c.effective_date, 'YYYY-MM-DD'),
                 'coveredThrough', (select max(cm.month) from coverage_month cm where cm.participant_id = p.id),
                 'at', ${range.recordedAt.toISOString()}::text)),
             ${range.recordedAt}::timestamptz, ${range.recordedAt}::timestamptz
        from membership_status_change c
        join participant p on p.id = c.participant_id
        ${partnerEndpointJoin('member.status_changed', sql`to_char(c.effective_date, 'YYYY-MM')`)}
       where c.participant_id > ${range.cursor}::text ${idUntil(sql.ref('c.participant_id'), range.lastId)}
         and c.recorded_at = ${range.recordedAt}::timestamptz
      on conflict (participant_id, id) do nothing
      returning 1
    )
    select count(*)::int as n from ins
  `.execute(db);
  return rows[0]?.n ?? 0;
}
