import type { Layout, TableRole } from './rules.js';

/**
 * The declared Citus layout of Lindung's tables (docs/scaling.md, "Citus layout"; the rules come from
 * ../shared/notes/claims-and-channels.md, "Scale-out"). A new table goes into exactly one list; the lint reports a
 * table that is in none. This is the target, not today's schema: `npm run lint:citus` reports where the migrations
 * still differ from it.
 */
const member = (why: string, by = 'participant_id'): TableRole => ({ kind: 'distributed', by, colocate: 'member', why });
const reference = (why: string): TableRole => ({ kind: 'reference', why });
const local = (why: string): TableRole => ({ kind: 'local', why });

export const CITUS_LAYOUT: Layout = {
  // Per member, distributed by participant id and co-located: a payment, a dues batch or a member page touches one
  // member's rows, so each of them is a single-shard transaction on one worker.
  participant: member('the member; its own id is the distribution column', 'id'),
  registration: member('the applicant becomes the member: the participant id is drawn when the registration starts'),
  bill: member("a member's bills (the first one too, through the participant id drawn at registration)"),
  bill_line: member('the lines of a bill, next to it'),
  payment: member('a payment to a member’s bill or wallet; unmatched payments go to a coordinator table of their own'),
  coverage_month: member('the covered months of a member'),
  ledger_transfer: member("the ledger entries of a member's payments; platform accounts are summed per shard"),
  membership_status_change: member('status history of a member'),
  session: member('sign-in sessions of a member (the token names its participant)'),
  autodebit_mandate: member('auto-debit mandates of a member'),
  autodebit_attempt: member('auto-debit attempts of a member'),
  outbox_message: member('messages written in the same single-shard transaction as the change that causes them'),
  claim: member("a member's claims (an heir's claim is filed on the deceased member)"),
  claim_line: member('the computed entitlement of a claim, next to it'),
  claim_document: member('the documents of a claim, next to it'),
  claim_event: member('the state history of a claim, next to it'),
  payout: member('the payout of an approved claim, in the claim’s transaction'),
  payout_attempt: member('the transfers sent for a payout'),
  heir: member('the heirs a member declares (ahli waris), read with the member'),
  participant_income: member('a member’s declared income and programs, effective-dated (member data changes)'),
  contact_change: member('a member’s pending phone or e-mail change (OTP / confirmation link)'),
  complaint: member('complaint tickets (pengaduan) of a member, opened by the contact centre'),
  agent: member('a PERISAI agent is a participant: its row sits with the member'),
  agent_command: member("an agent's replayed commands, with the agent (a global command id: a look-up table if Citus comes)", 'agent_id'),
  agent_collection: member("an agent's cash collections (receipts), with the agent", 'agent_id'),
  agent_deposit: member("an agent's deposits at the branch, with the agent", 'agent_id'),
  webhook_delivery: member('a webhook event about a member, written in the transaction that records the change'),
  webhook_attempt: member('the HTTP attempts of a webhook delivery, next to it'),

  // Reference tables: on every node, joined locally by any shard.
  holiday_year: reference('the holiday calendar (decree per year)'),
  holiday: reference('the holiday calendar (days)'),
  jht_rate: reference('the JHT return rate per year (read by every shard when crediting)'),
  staff_account: reference("staff accounts: few, rarely written, read by every shard's claim_guard (the officers' roles)"),
  service_point: reference('service points (bank SPO desks, branch counters): few, admin-maintained'),
  occupation: reference('occupations: few, admin-maintained, read by registration and quotes'),
  branch: reference('branch offices: few, admin-maintained, read by registration, data changes and pages'),
  payer_bill: reference('collective bills of partners and government payers: few (one per batch, roster or invoice), written at open, payment and fan-out end; member bills (distributed) point at them'),
  kantor_perisai: reference('PERISAI wadah offices: few, admin-maintained'),
  webhook_endpoint: reference('webhook subscriber URLs: one per partner, rarely written, read by every shard when an event is queued'),

  // Local tables: the coordinator only.
  dashboard_day_rollup: local('the dashboards\' daily totals: written once a day from multi-shard reads, read by the staff console'),
  dashboard_status_interval: local('the dashboards\' status intervals: rewritten once a day'),
  dashboard_rollup_state: local('one row: how far the dashboards\' rollup reaches'),
  job: local('the job queue (claims with SKIP LOCKED; a job walks every shard with multi-shard statements)'),
  otp_challenge: local('short-lived one-time codes, keyed by phone or email before anyone is a member'),
  otp_phone_day: local('per-phone daily counters of the OTP limits'),
  rate_limit_counter: local('rate-limit windows, deleted once ended'),
  population_resident: local('the development population registry (production asks Dukcapil)'),
  reconciliation_run: local('staff: one row per settlement file'),
  reconciliation_difference: local('staff: the differences a reconciliation run found'),
  payment_resolution: local('staff: how an unmatched payment was resolved'),
  refund_request: local('staff: refunds of unmatched payments'),
  staff_audit: local('staff: the append-only audit of staff actions'),
  staff_session: local('staff: sign-in sessions (token hashes)'),
  staff_sign_in_failure: local('staff: failed sign-ins, counted for the lockout'),
  queue_ticket: local('staff: the counter queue tickets of the branches (antrean loket; SKIP LOCKED when called)'),
  counter_payment: local('staff: the till slips of cash/EDC payments taken at counters (keyed before the settlement)'),
  survey_invitation: local('the e-survey after a counter registration: one per registration, answered once'),
  queue_day_counter: local('staff: the last queue number per branch and day'),
  kysely_migration: local("the migrator's bookkeeping"),
  kysely_migration_lock: local("the migrator's lock"),
  db_function_source: local('the checksums of the database function files applied after the migrations'),
  participant_funding: member('a member’s funding and who pays, effective-dated (issue 17)'),
  agent_incentive_statement: local("PERISAI incentive statements: one per agent and Kantor a month, written by the monthly job's multi-shard reads"),
  partner: local('partners, sponsors and government payers: few, written by staff, read by the token check'),
  partner_client: local("a partner's OAuth2 client credentials (secret hashes)"),
  partner_token: local('partner bearer tokens (hashes), one hour each'),
  partner_batch: local("a partner's enrolment batch (unique per Idempotency-Key) and its collective bill"),
  partner_batch_row: local('the rows of an enrolment batch (NIK hashed and sealed) and their per-row outcomes'),
  sponsorship: local('Sertakan: links two members (sponsor and worker) who live on different shards; one open row per worker (unique index)'),
  roster_upload: local("a government payer's roster upload for a period (unique per Idempotency-Key), its progress"),
  roster_upload_row: local('the rows of a roster upload (NIK as its keyed hash, or KPJ) and their per-row outcomes'),
};
