import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types. Dates are 'YYYY-MM-DD' strings and bigint money is a number (see connect.ts codecs). */
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface PopulationResidentTable {
  nik: string;
  full_name: string;
  birth_date: string;
  gender: 'M' | 'F';
  created_at: Timestamp;
}

export type RegistrationStatus = 'pending_verification' | 'verified' | 'submitted' | 'completed';

export interface RegistrationTable {
  id: string;
  nik: string;
  full_name: string;
  birth_date: string;
  gender: 'M' | 'F';
  phone: string;
  email: string;
  address: string;
  occupation_code: string;
  /** Decided by the occupation when the registration is made (PP 50/2025 transport sector). */
  sector: 'transport' | 'other';
  branch_code: string;
  channel: ColumnType<string, string | undefined, string>;
  status: RegistrationStatus;
  email_token_hash: string;
  email_verified_at: NullableTimestamp;
  phone_verified_at: NullableTimestamp;
  programs: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  declared_income: ColumnType<number | null, number | null | undefined, number | null>;
  funding: ColumnType<Funding, Funding | undefined, Funding>;
  participant_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type Funding = 'self' | 'sponsor' | 'apbn' | 'apbd';

export interface OtpChallengeTable {
  id: string;
  purpose: 'registration' | 'login';
  subject: string;
  code_hash: string;
  expires_at: Timestamp;
  failed_attempts: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  consumed_at: NullableTimestamp;
}

export interface ParticipantTable {
  id: string;
  kpj: string;
  nik: string;
  full_name: string;
  birth_date: string;
  gender: 'M' | 'F';
  phone: string;
  email: string;
  address: string;
  occupation_code: string;
  sector: 'transport' | 'other';
  branch_code: string;
  programs: string[];
  declared_income: number;
  funding: Funding;
  registration_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type BillStatus = 'open' | 'paid' | 'cancelled';

export interface BillTable {
  id: string;
  payment_code: string;
  kind: 'first' | 'renewal' | 'dues' | 'wallet';
  registration_id: string | null;
  participant_id: string | null;
  amount: number;
  status: BillStatus;
  first_month: string;
  month_count: number;
  expires_at: Timestamp;
  created_at: Timestamp;
  paid_at: NullableTimestamp;
  payment_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BillLineTable {
  bill_id: string;
  month: string;
  program: 'JKK' | 'JKM' | 'JHT';
  amount: number;
  discount: number;
  net: number;
}

export type UnmatchedReason = 'amount_mismatch' | 'bill_expired' | 'bill_already_paid' | 'unknown_payment_code' | 'bill_replaced' | 'prepay_limit';
export const UNMATCHED_REASONS = ['amount_mismatch', 'bill_expired', 'bill_already_paid', 'unknown_payment_code', 'bill_replaced', 'prepay_limit'] as const satisfies readonly UnmatchedReason[];

export interface PaymentTable {
  id: string;
  external_id: string;
  fingerprint: string;
  payment_code: string;
  amount: number;
  channel: string;
  paid_at: Timestamp;
  received_at: Timestamp;
  outcome: 'applied' | 'unmatched' | 'topup';
  unmatched_reason: UnmatchedReason | null;
  bill_id: string | null;
}

export interface CoverageMonthTable {
  participant_id: string;
  month: string;
  bill_id: string;
  /** when the month's payment settled (arrived), or the wallet paid it: cover for events begins there */
  settled_at: Date;
}

export interface LedgerTransferTable {
  id: string;
  debit_account: string;
  credit_account: string;
  amount: number;
  code: string;
  ref: string;
  created_at: Timestamp;
}

export interface OutboxMessageTable {
  id: string;
  seq: Generated<number>;
  channel: 'email' | 'sms';
  recipient: string;
  subject: ColumnType<string, string | undefined, string>;
  body: string;
  template: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface SessionTable {
  token_hash: string;
  participant_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  /** The phone whose OTP opened the session (E.164); null for sessions from before it was recorded. */
  verified_phone: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Per phone and day (WIB): one-time codes issued and wrong codes entered (src/modules/auth/otp.ts). */
export interface OtpPhoneDayTable {
  phone: string;
  day: string;
  codes_issued: ColumnType<number, number | undefined, number>;
  failed_attempts: ColumnType<number, number | undefined, number>;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

/** A job of the database-backed runner (src/modules/jobs/job-queue.ts); the id is deterministic. */
export interface JobTable {
  id: string;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  run_at: Timestamp;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  attempts_max: number;
  locked_until: NullableTimestamp;
  progress: ColumnType<Record<string, unknown>, string | undefined, string>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** A recorded change of the derived membership status (the monthly cycle's status step). */
export interface MembershipStatusChangeTable {
  id: Generated<number>;
  participant_id: string;
  from_status: 'active' | 'arrears' | 'inactive';
  to_status: 'active' | 'arrears' | 'inactive';
  effective_date: string;
  reason: string;
  recorded_at: Timestamp;
}

/** A reconciliation run of a settlement file (src/modules/reconciliation/); one per channel, source, date and file. */
export interface ReconciliationRunTable {
  id: string;
  channel: string;
  source: 'snap' | 'midtrans' | 'xendit' | 'api';
  settlement_date: string;
  file_sha256: string;
  file_text: string;
  file_rows: number;
  file_amount: number;
  recorded_count: number;
  recorded_amount: number;
  matched_count: number;
  matched_amount: number;
  created_by: string;
  created_at: Timestamp;
}

export interface ReconciliationDifferenceTable {
  run_id: string;
  seq: number;
  kind: 'missing_payment' | 'not_in_file' | 'amount_differs';
  external_id: string;
  payment_code: string;
  line: number | null;
  reference_no: string | null;
  file_amount: number | null;
  transaction_time: NullableTimestamp;
  payment_id: string | null;
  recorded_amount: number | null;
  paid_at: NullableTimestamp;
  outcome: string | null;
  recorded_channel: string | null;
}

/** How staff resolved an unmatched payment: once, refunded or assigned to a member. */
export interface PaymentResolutionTable {
  payment_id: string;
  resolution: 'refunded' | 'assigned';
  amount: number;
  participant_id: string | null;
  reason: string;
  resolved_by: string;
  resolved_at: Timestamp;
}

export interface RefundRequestTable {
  id: string;
  payment_id: string;
  channel: string;
  external_id: string;
  amount: number;
  status: ColumnType<'requested' | 'executed' | 'failed', 'requested' | 'executed' | 'failed' | undefined, 'requested' | 'executed' | 'failed'>;
  reason: string;
  requested_by: string;
  requested_at: Timestamp;
  executed_at: NullableTimestamp;
}

/** Every staff action (append-only). */
export interface StaffAuditTable {
  id: Generated<number>;
  actor: string;
  action: string;
  subject: string;
  reason: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
}

/** A member's auto-debit mandate (autodebet): the provider's token stands in for the account; never log it in full. */
export interface AutodebitMandateTable {
  id: string;
  participant_id: string;
  provider_kind: 'bank' | 'ewallet';
  provider_name: string;
  token: string;
  account_masked: string;
  status: 'active' | 'revoked';
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

/** One auto-debit attempt: recorded 'pending' before the provider is called, then completed with its result. */
export interface AutodebitAttemptTable {
  mandate_id: string;
  month: string;
  attempt: number;
  reference: string;
  participant_id: string;
  bill_id: string;
  payment_code: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  provider_ref: string | null;
  failure_reason: string | null;
  retryable: boolean | null;
  settlement: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** A year of the holiday calendar, entered from its official decree (staff or the rule book's seed). */
export interface HolidayYearTable {
  year: number;
  decree: string;
  entered_by: string;
  entered_at: Timestamp;
}

/** A holiday of an entered year (libur nasional or cuti bersama). */
export interface HolidayTable {
  date: string;
  year: number;
  name: string;
  kind: 'national_holiday' | 'joint_leave';
}

export interface Database {
  population_resident: PopulationResidentTable;
  registration: RegistrationTable;
  otp_challenge: OtpChallengeTable;
  otp_phone_day: OtpPhoneDayTable;
  participant: ParticipantTable;
  bill: BillTable;
  bill_line: BillLineTable;
  payment: PaymentTable;
  coverage_month: CoverageMonthTable;
  ledger_transfer: LedgerTransferTable;
  outbox_message: OutboxMessageTable;
  session: SessionTable;
  job: JobTable;
  membership_status_change: MembershipStatusChangeTable;
  autodebit_mandate: AutodebitMandateTable;
  autodebit_attempt: AutodebitAttemptTable;
  reconciliation_run: ReconciliationRunTable;
  reconciliation_difference: ReconciliationDifferenceTable;
  payment_resolution: PaymentResolutionTable;
  refund_request: RefundRequestTable;
  staff_audit: StaffAuditTable;
  holiday_year: HolidayYearTable;
  holiday: HolidayTable;
}

export type Registration = Selectable<RegistrationTable>;
export type Participant = Selectable<ParticipantTable>;
export type Bill = Selectable<BillTable>;
export type BillLine = Selectable<BillLineTable>;
export type NewLedgerTransfer = Insertable<LedgerTransferTable>;
export type OutboxMessage = Selectable<OutboxMessageTable>;
export type Job = Selectable<JobTable>;
export type MembershipStatusChange = Selectable<MembershipStatusChangeTable>;
export type { Generated };
