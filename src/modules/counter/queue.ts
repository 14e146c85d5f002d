import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { localDateInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { mayEnd, type QueuePurpose, type QueueSummary, summarize, ticketLabel, type TicketStatus, waitSeconds } from './domain/queue-rules.js';

export interface TicketView {
  id: string;
  branchCode: string;
  servicePoint: string | null;
  /** The WIB day the number belongs to (numbers restart at 1 each day). */
  date: string;
  number: number;
  /** The printed number: the purpose's letter and the number, e.g. B-007. */
  label: string;
  purpose: QueuePurpose;
  status: TicketStatus;
  takenAt: string;
  calledAt: string | null;
  calledBy: string | null;
  desk: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
}

interface TicketRow {
  id: string;
  branch_code: string;
  service_point: string | null;
  day: Date | string;
  number: number;
  purpose: string;
  status: string;
  taken_at: Date;
  called_at: Date | null;
  called_by: string | null;
  desk: string | null;
  ended_at: Date | null;
}

const dayOf = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : localDateInJakarta(new Date(d.getTime() + 12 * 3600_000)));
const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

function view(r: TicketRow): TicketView {
  const purpose = r.purpose as QueuePurpose;
  return {
    id: r.id,
    branchCode: r.branch_code,
    servicePoint: r.service_point,
    date: dayOf(r.day),
    number: r.number,
    label: ticketLabel(purpose, r.number),
    purpose,
    status: r.status as TicketStatus,
    takenAt: new Date(r.taken_at).toISOString(),
    calledAt: iso(r.called_at),
    calledBy: r.called_by,
    desk: r.desk,
    endedAt: iso(r.ended_at),
    waitSeconds: waitSeconds(new Date(r.taken_at), r.called_at === null ? null : new Date(r.called_at)),
  };
}

const COLUMNS = sql`id, branch_code, service_point, to_char(day, 'YYYY-MM-DD') as day, number, purpose, status, taken_at, called_at, called_by, desk, ended_at`;

/** The branch of a staff account (its `branch_code`), or null: the staff key and accounts without a branch have none. */
export async function staffBranch(db: Kysely<Database>, actor: string): Promise<string | null> {
  const row = await db.selectFrom('staff_account').select('branch_code').where('username', '=', actor).executeTakeFirst();
  return row?.branch_code ?? null;
}

type BranchRefusal = 'staff_without_branch';

/** Takes a number at the officer's branch: the next number of the WIB day (from 1), waiting; audited. */
export async function takeTicket(deps: Deps, input: { actor: string; purpose: QueuePurpose }): Promise<Result<TicketView, BranchRefusal>> {
  const branch = await staffBranch(deps.db, input.actor);
  if (branch === null) return reject('staff_without_branch');
  const now = deps.clock.now();
  const day = localDateInJakarta(now);
  const row = await deps.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ last_number: number }>`
      insert into queue_day_counter (branch_code, service_point, day, last_number) values (${branch}, '', ${day}::date, 1)
      on conflict (branch_code, service_point, day) do update set last_number = queue_day_counter.last_number + 1
      returning last_number`.execute(trx);
    const number = (rows[0] as { last_number: number }).last_number;
    const id = newId('qtk');
    const inserted = await sql<TicketRow>`
      insert into queue_ticket (id, branch_code, day, number, purpose, taken_at, taken_by)
      values (${id}, ${branch}, ${day}::date, ${number}, ${input.purpose}, ${now}, ${input.actor})
      returning ${COLUMNS}`.execute(trx);
    const ticket = inserted.rows[0] as TicketRow;
    await recordStaffAction(trx, { actor: input.actor, action: 'queue_ticket.take', subject: `queue_ticket:${id}`, reason: null, detail: { branch, day, number, purpose: input.purpose }, after: { status: 'waiting' }, at: now });
    return ticket;
  });
  return ok(view(row));
}

/**
 * Calls the next waiting number of the officer's branch and day to `desk`: the lowest waiting number, claimed with
 * FOR UPDATE SKIP LOCKED so that two desks calling at once never get the same ticket. null: nobody is waiting.
 */
export async function callNext(deps: Deps, input: { actor: string; desk: string }): Promise<Result<TicketView | null, BranchRefusal>> {
  const branch = await staffBranch(deps.db, input.actor);
  if (branch === null) return reject('staff_without_branch');
  const now = deps.clock.now();
  const day = localDateInJakarta(now);
  const row = await deps.db.transaction().execute(async (trx) => {
    const { rows } = await sql<TicketRow>`
      update queue_ticket set status = 'called', called_at = ${now}, called_by = ${input.actor}, desk = ${input.desk}
       where id = (select id from queue_ticket
                    where branch_code = ${branch} and service_point is null and day = ${day}::date and status = 'waiting'
                    order by number limit 1 for update skip locked)
      returning ${COLUMNS}`.execute(trx);
    const ticket = rows[0];
    if (ticket) {
      const detail = { branch, day, number: ticket.number, desk: input.desk };
      await recordStaffAction(trx, { actor: input.actor, action: 'queue_ticket.call', subject: `queue_ticket:${ticket.id}`, reason: null, detail, before: { status: 'waiting' }, after: { status: 'called', desk: input.desk }, at: now });
    }
    return ticket ?? null;
  });
  return ok(row === null ? null : view(row));
}

export type EndRefusal = BranchRefusal | 'unknown_ticket' | 'ticket_not_called';

/** Marks a called ticket of the officer's branch served or a no-show (ended_at); audited. */
export async function endTicket(deps: Deps, input: { actor: string; id: string; outcome: 'served' | 'no_show' }): Promise<Result<TicketView, EndRefusal>> {
  const branch = await staffBranch(deps.db, input.actor);
  if (branch === null) return reject('staff_without_branch');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx): Promise<Result<TicketView, EndRefusal>> => {
    const { rows } = await sql<TicketRow>`select ${COLUMNS} from queue_ticket where id = ${input.id} and branch_code = ${branch} for update`.execute(trx);
    const current = rows[0];
    if (!current) return reject('unknown_ticket', 'id');
    if (!mayEnd(current.status as TicketStatus)) return reject('ticket_not_called', 'id');
    const updated = await sql<TicketRow>`
      update queue_ticket set status = ${input.outcome}, ended_at = ${now}, ended_by = ${input.actor} where id = ${input.id} returning ${COLUMNS}`.execute(trx);
    const ticket = updated.rows[0] as TicketRow;
    const action = input.outcome === 'served' ? 'queue_ticket.served' : 'queue_ticket.no_show';
    await recordStaffAction(trx, { actor: input.actor, action, subject: `queue_ticket:${input.id}`, reason: null, detail: { branch, number: ticket.number, desk: ticket.desk }, before: { status: 'called' }, after: { status: input.outcome }, at: now });
    return ok(view(ticket));
  });
}

export interface QueueDay {
  branchCode: string;
  date: string;
  /** Waiting numbers, lowest first. */
  waiting: TicketView[];
  /** Numbers called and not yet ended (at a desk now). */
  atDesks: TicketView[];
  /** Served and no-show numbers, latest first. */
  ended: TicketView[];
  summary: QueueSummary;
}

/** The queue of the officer's branch on a WIB day (default today): the waiting list, the desks and the day's summary. */
export async function queueDay(deps: Deps, input: { actor: string; date?: string | undefined }): Promise<Result<QueueDay, BranchRefusal>> {
  const branch = await staffBranch(deps.db, input.actor);
  if (branch === null) return reject('staff_without_branch');
  const date = input.date ?? localDateInJakarta(deps.clock.now());
  const { rows } = await sql<TicketRow>`
    select ${COLUMNS} from queue_ticket where branch_code = ${branch} and service_point is null and day = ${date}::date order by number`.execute(deps.db);
  const tickets = rows.map(view);
  const summary = summarize(rows.map((r) => ({ status: r.status as TicketStatus, takenAt: new Date(r.taken_at), calledAt: r.called_at === null ? null : new Date(r.called_at) })));
  return ok({
    branchCode: branch,
    date,
    waiting: tickets.filter((t) => t.status === 'waiting'),
    atDesks: tickets.filter((t) => t.status === 'called'),
    ended: tickets.filter((t) => t.status === 'served' || t.status === 'no_show').reverse(),
    summary,
  });
}

/** One ticket of the officer's branch (for its printed slip), or unknown_ticket. */
export async function branchTicket(deps: Deps, input: { actor: string; id: string }): Promise<Result<TicketView, BranchRefusal | 'unknown_ticket'>> {
  const branch = await staffBranch(deps.db, input.actor);
  if (branch === null) return reject('staff_without_branch');
  const { rows } = await sql<TicketRow>`select ${COLUMNS} from queue_ticket where id = ${input.id} and branch_code = ${branch}`.execute(deps.db);
  return rows[0] ? ok(view(rows[0])) : reject('unknown_ticket', 'id');
}
