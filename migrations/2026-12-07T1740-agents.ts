import { sql, type Kysely } from 'kysely';

/**
 * PERISAI agents (issue 17 item 5, server side; rulebook §6): an agent is a registered BPU participant attached to a
 * Kantor Perisai (the *wadah*, which has a PKS with a branch). Frozen once shipped.
 *
 * - `kantor_perisai`: the wadah offices, admin-maintained; a code is never reused (deactivated instead).
 * - `agent`: one row per participant who is (or was) an agent; `agent_code` 'AG' + 6 digits from `agent_code_seq`;
 *   `cash_limit` the rupiah an agent may hold between deposits; ended agents keep their row (`ended_at`, reason).
 * - `agent_command`: every command the agent app replayed, keyed by the client's UUIDv7 (the primary key decides a
 *   racing duplicate): its fingerprint (SHA-256 of the canonical payload) and the stored answer, returned again for
 *   the same id. `pending` while the first request applies it.
 * - `agent_collection`: one row per accepted cash collection (a receipt): the settled payment, the receipt number
 *   and the hashed check code the worker got by SMS; `deposit_id` is left for reporting (the reconciliation is
 *   computed oldest first, src/modules/agents/domain/cash.ts).
 * - `agent_deposit`: cash an agent paid in at the branch, recorded by finance; idempotent by the id chosen before.
 * - `registration.channel` and `payment.channel` gain 'agent' (neither column had a CHECK; nothing to alter).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table kantor_perisai (
      code text primary key check (code ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$' and length(code) <= 40),
      name text not null check (length(name) between 1 and 120),
      branch_code text not null,
      active boolean not null default true,
      created_at timestamptz not null
    );
    create sequence agent_code_seq;
    create table agent (
      participant_id text primary key references participant (id),
      agent_code text not null unique check (agent_code ~ '^AG[0-9]{6}$'),
      kantor_code text not null references kantor_perisai (code),
      branch_code text not null,
      cash_limit bigint not null check (cash_limit >= 0),
      status text not null check (status in ('active', 'ended')),
      started_at timestamptz not null,
      ended_at timestamptz,
      ended_reason text check (length(ended_reason) <= 500),
      last_activity_at timestamptz,
      check ((status = 'ended') = (ended_at is not null))
    );
    create index agent_kantor on agent (kantor_code);
    create table agent_command (
      id text primary key check (id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'),
      agent_id text not null references agent (participant_id),
      type text not null check (type in ('enrol', 'collect')),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      status text not null check (status in ('pending', 'accepted', 'rejected')),
      result jsonb,
      reasons jsonb,
      client_created_at timestamptz not null,
      received_at timestamptz not null,
      answered_at timestamptz
    );
    create index agent_command_agent on agent_command (agent_id, received_at);
    create table agent_collection (
      id text primary key,
      agent_id text not null references agent (participant_id),
      command_id text not null unique references agent_command (id),
      participant_id text references participant (id),
      registration_id text,
      bill_id text not null,
      payment_code text not null,
      payment_id text,
      amount bigint not null check (amount > 0),
      months integer not null check (months > 0),
      receipt_no text not null unique,
      check_code_hash text not null check (check_code_hash ~ '^[0-9a-f]{64}$'),
      collected_at timestamptz not null,
      received_at timestamptz not null,
      deposit_id text
    );
    create index agent_collection_agent on agent_collection (agent_id, received_at);
    create table agent_deposit (
      id text primary key check (length(id) between 8 and 64),
      agent_id text not null references agent (participant_id),
      amount bigint not null check (amount > 0),
      reference text not null check (length(reference) between 1 and 120),
      deposited_at timestamptz not null,
      recorded_by text not null,
      created_at timestamptz not null
    );
    create index agent_deposit_agent on agent_deposit (agent_id, deposited_at);
  `.execute(db);
}
