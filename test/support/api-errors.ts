import { expect } from 'vitest';
import type { TestApp, TestResponse } from './test-app.js';

/**
 * A distinctive fragment of each error code's default (Indonesian) message: enough to tell that the message is in
 * Indonesian and belongs to the code, without pinning the whole sentence.
 */
export const INDONESIAN: Record<string, RegExp> = {
  invalid_request: /^Permintaan tidak valid/,
  unauthorized: /^Silakan masuk/,
  forbidden: /tidak berwenang/,
  not_found: /tidak ditemukan/,
  unknown_payment_code: /^Kode pembayaran tidak dikenal/,
  unknown_registration: /^Pendaftaran tidak ditemukan/,
  already_registered: /^NIK ini sudah terdaftar/,
  verification_incomplete: /^Verifikasi email dan nomor HP belum selesai/,
  registration_completed: /^Pendaftaran ini sudah selesai/,
  income_below_minimum: /^Penghasilan yang dilaporkan minimal/,
  invalid_programs: /^Program wajib JKK dan JKM/,
  invalid_months: /^Pilih jumlah bulan/,
  unknown_occupation: /^Jenis pekerjaan tidak dikenal/,
  unknown_branch: /^Kantor cabang tidak dikenal/,
  invalid_nik: /^NIK tidak valid/,
  invalid_phone: /^Nomor HP tidak valid/,
  invalid_email: /^Alamat email tidak valid/,
  consent_required: /^Anda perlu menyetujui/,
  identity_mismatch: /^Data tidak cocok dengan Dukcapil/,
  invalid_token: /^Tautan verifikasi email tidak valid/,
  invalid_otp: /^Kode OTP salah/,
  too_many_attempts: /^Terlalu banyak percobaan/,
  too_many_requests: /^Kode baru hanya dapat diminta/,
  identity_unavailable: /^Layanan verifikasi Dukcapil/,
  unknown_mandate: /^Mandat autodebet tidak ditemukan/,
  mandate_exists: /^Anda sudah punya mandat autodebet yang aktif/,
  unknown_debit_provider: /^Bank atau dompet digital ini tidak tersedia/,
  invalid_account_number: /^Nomor rekening tidak valid/,
  autodebit_unavailable: /^Layanan autodebet belum tersedia/,
  unknown_participant: /^Peserta dengan nomor KPJ ini tidak ditemukan/,
  unknown_payment: /^Pembayaran dengan ID ini tidak ditemukan/,
  unknown_reconciliation_run: /^Rekonsiliasi dengan ID ini tidak ditemukan/,
  payment_not_unmatched: /^Pembayaran ini tidak berstatus tidak cocok/,
  payment_already_resolved: /^Pembayaran ini sudah diselesaikan/,
  invalid_settlement_file: /^Berkas settlement tidak valid/,
  invalid_start_month: /^Bulan mulai iuran tidak valid/,
  invalid_holiday_calendar: /^Daftar hari libur tidak valid/,
  payload_too_large: /^Data yang dikirim terlalu besar/,
  rate_limited: /^Terlalu banyak permintaan/,
  sms_limit_reached: /^Nomor HP ini sudah menerima 5 kode OTP hari ini/,
  invalid_credentials: /^Nama pengguna, kata sandi atau kode autentikator salah/,
  document_empty: /^Berkas dokumen kosong/,
  document_too_large: /^Berkas dokumen terlalu besar/,
  document_type_not_allowed: /^Jenis berkas tidak diterima/,
  claim_documents_closed: /^Dokumen tidak dapat ditambahkan lagi/,
  rate_already_applied: /^Tingkat hasil pengembangan JHT tahun ini sudah dipakai/,
  not_eligible: /syarat/,
  online_limit_exceeded: /batas klaim lewat aplikasi/,
  partial_already_used: /sebagian JHT/,
  membership_too_short: /10 tahun kepesertaan|[Mm]asa (kepesertaan|iur)/,
  waiting_period: /1 bulan setelah berhenti/,
  not_covered_at_event: /tidak terlindungi program/,
  claim_in_progress: /sedang diproses/,
  invalid_transition: /^Klaim ini tidak dapat diproses/,
  same_officer: /^Petugas yang memeriksa klaim tidak boleh menyetujuinya/,
  too_many_heirs: /^Ahli waris paling banyak 10 orang/,
  invalid_heir_name: /^Nama ahli waris tidak valid/,
  invalid_relationship: /^Pilih hubungan ahli waris/,
  invalid_birth_date: /^Tanggal lahir tidak valid/,
  unknown_payout: /^Pembayaran klaim \(payout\) dengan ID ini tidak ditemukan/,
  payout_not_failed: /^Pembayaran klaim ini tidak berstatus gagal/,
  staff_without_branch: /^Akun staf ini tidak terdaftar di kantor cabang/,
  unknown_ticket: /^Nomor antrean ini tidak ditemukan/,
  bill_not_payable: /^Tagihan dengan kode bayar ini /,
  amount_not_bill: /^Jumlah yang diterima harus sam/,
  approval_code_required: /^Pembayaran EDC memerlukan kode/,
  idempotency_key_reused: /^Kunci pembayaran ini sudah dip/,
  unknown_survey: /^Tautan survei tidak ditemukan\./,
  survey_answered: /^Survei ini sudah diisi\. Terima/,
  unknown_service_point: /^Titik layanan \(SPO atau loket\) tidak ditemukan/,
  draft_nik_mismatch: /^NIK tidak sama dengan NIK pada Formulir 1A/,
  ticket_not_called: /^Nomor antrean ini belum dipanggil/,
  unknown_staff_account: /^Akun staf dengan nama pengguna ini tidak ditemukan/,
  username_taken: /^Nama pengguna ini sudah dipakai/,
  own_admin_role: /^Anda tidak dapat menonaktifkan akun sendiri/,
  no_open_bill: /^Peserta tidak punya tagihan terbuka/,
  unknown_complaint: /^Pengaduan tidak ditemukan/,
  complaint_resolved: /^Pengaduan ini sudah diselesaikan/,
  draft_not_found: /^Kode formulir tidak ditemukan/,
  invalid_address: /^Alamat tidak valid/,
  program_required: /^Program JKK dan JKM wajib/,
  program_removal_unsupported: /^Program JHT belum dapat dihentikan/,
  identity_check_required: /^Petugas harus memeriksa KTP/,
  identity_check_failed: /^Tanggal lahir atau 6 digit terakhir NIK tidak cocok/,
  funding_month_paid: /^Pendanaan hanya dapat diubah mulai bulan yang belum dibayar/,
  invalid_client: /^Kredensial klien mitra tidak valid/,
  unsupported_grant_type: /^Jenis grant tidak didukung/,
  idempotency_key_required: /^Header Idempotency-Key wajib/,
  unknown_partner: /^Mitra tidak ditemukan/,
  unknown_partner_client: /^Klien mitra tidak ditemukan/,
  unknown_batch: /^Batch pendaftaran tidak ditemukan/,
  not_on_roster: /^Peserta ini tidak ada dalam daftar/,
  unknown_invoice: /^Tagihan untuk periode ini belum ada/,
  roster_too_large: /^Daftar terlalu besar/,
  unknown_roster_upload: /^Unggahan daftar ini tidak/,
  payer_bill_member_unavailable: /^Tagihan peserta tidak dapat digabungkan/,
  payer_bill_empty: /^Tagihan kolektif memerlukan/,
  agent_ended: /^Keagenan PERISAI Anda sudah berakhir/,
  unknown_agent: /^Agen PERISAI dengan kode ini tidak ditemukan/,
  unknown_kantor_perisai: /^Kantor Perisai tidak dikenal/,
  kantor_perisai_exists: /^Kantor Perisai dengan kode ini sudah ada/,
  participant_not_active: /^Peserta ini tidak aktif/,
  already_agent: /^Peserta ini sudah menjadi agen PERISAI/,
  command_conflict: /^ID perintah ini sudah dipakai/,
  command_pending: /^Perintah ini sedang diproses/,
  amount_mismatch: /^Jumlah uang tidak sama dengan tagihan/,
  cash_limit_exceeded: /^Batas uang tunai agen terlampaui/,
  unknown_enrolment: /^Pendaftaran untuk penagihan ini tidak ditemukan/,
  incentive_statement_not_due: /^Laporan insentif ini tidak menunggu persetujuan/,
  incentive_statement_not_approved: /^Laporan insentif ini belum disetujui/,
  incentive_same_officer: /^Petugas yang menyetujui insentif tidak boleh/,
  invalid_webhook_url: /^Alamat webhook tidak valid/,
  unknown_webhook_delivery: /^Pengiriman webhook tidak ditemukan/,
  cannot_sponsor_self: /^Anda tidak dapat menyertakan diri sendiri/,
  already_sponsored: /^Pekerja ini sudah disertakan/,
  unknown_sponsorship: /^Data Sertakan tidak ditemukan/,
  sponsorship_not_active: /^Sertakan ini belum disetujui/,
  not_sponsored: /^Iuran Anda tidak sedang dibayar oleh penyerta/,
  already_in_open_batch: /^NIK ini sudah ada di batch pendaftaran lain/,
};

/**
 * The contract's error shape: `{ error: { code, message, field? } }` with the given status, the message in
 * Indonesian (the default language) and `field` exactly as given (`undefined` = no field).
 */
export function expectError(res: TestResponse, status: number, code: string, field?: string): void {
  const err = (res.body as { error?: { code?: unknown; field?: unknown; message?: unknown } } | undefined)?.error;
  expect({ status: res.status, code: err?.code, field: err?.field }, JSON.stringify(res.body)).toEqual({ status, code, field });
  const indonesian = INDONESIAN[code];
  if (!indonesian) {
    throw new Error(`no Indonesian fragment recorded for ${code}`);
  }
  expect(err?.message).toMatch(indonesian);
}

export interface OutboxEntry {
  to: string;
  channel: 'email' | 'sms';
  subject: string;
  body: string;
  createdAt: string;
  data: { token?: string; otp?: string } & Record<string, unknown>;
}

/** GET /dev/outbox?to=…, newest first. */
export async function outbox(t: TestApp, to: string): Promise<OutboxEntry[]> {
  const res = await t.get(`/dev/outbox?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  return res.body.messages as OutboxEntry[];
}
