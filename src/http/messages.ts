import { catalogue, type Lang } from '../shared/i18n/catalogue.js';
import type { ErrorCode } from './errors.js';

/** The language of an API error message: the one `Lang` of the message catalogues. */
export type Locale = Lang;

/**
 * What each error tells a person, Indonesian first. Every message says what to do next. A catalogue keyed by
 * ErrorCode: the type checker refuses a code without its Indonesian or English text.
 */
export const ERROR_MESSAGES = catalogue<ErrorCode>({
  id: {
    invalid_request: 'Permintaan tidak valid: periksa format data yang dikirim.',
    unauthorized: 'Silakan masuk terlebih dahulu.',
    invalid_signature: 'Tanda tangan notifikasi tidak valid.',
    forbidden: 'Anda tidak berwenang mengakses data ini.',
    not_found: 'Halaman atau data tidak ditemukan.',
    unknown_payment_code: 'Kode pembayaran tidak dikenal — periksa kembali kode yang Anda masukkan.',
    unknown_registration: 'Pendaftaran tidak ditemukan — mulai pendaftaran baru.',
    unknown_participant: 'Peserta dengan nomor KPJ ini tidak ditemukan.',
    already_registered: 'NIK ini sudah terdaftar sebagai peserta. Masuk dengan nomor HP Anda untuk membayar iuran.',
    verification_incomplete: 'Verifikasi email dan nomor HP belum selesai. Selesaikan keduanya terlebih dahulu.',
    registration_completed: 'Pendaftaran ini sudah selesai dan kepesertaan sudah aktif.',
    external_id_conflict: 'ID transaksi ini sudah dipakai untuk pembayaran dengan data berbeda.',
    income_below_minimum: 'Penghasilan yang dilaporkan minimal Rp1.000.000 per bulan.',
    invalid_programs: 'Program wajib JKK dan JKM; JHT boleh ditambahkan. Program lain tidak tersedia.',
    invalid_months: 'Pilih jumlah bulan 1, 3, 6, atau 12.',
    unknown_occupation: 'Jenis pekerjaan tidak dikenal — pilih dari daftar pekerjaan.',
    unknown_branch: 'Kantor cabang tidak dikenal — pilih dari daftar kantor cabang.',
    invalid_nik: 'NIK tidak valid: harus 16 angka sesuai KTP. Periksa kembali NIK Anda.',
    invalid_phone: 'Nomor HP tidak valid: gunakan nomor seluler Indonesia, misalnya 0812xxxxxxxx.',
    invalid_email: 'Alamat email tidak valid — periksa kembali penulisannya.',
    consent_required: 'Anda perlu menyetujui syarat dan ketentuan serta pemrosesan data pribadi.',
    identity_mismatch: 'Data tidak cocok dengan Dukcapil — periksa kembali NIK, nama sesuai KTP, tanggal lahir, dan jenis kelamin, atau hubungi Disdukcapil.',
    invalid_token: 'Tautan verifikasi email tidak valid — gunakan tautan terbaru di email Anda.',
    invalid_otp: 'Kode OTP salah atau sudah kedaluwarsa — periksa SMS terbaru atau minta kode baru.',
    too_many_attempts: 'Terlalu banyak percobaan kode yang salah. Kode ini dikunci — minta kode OTP baru. Setelah 10 kode salah dalam sehari, nomor HP ini dikunci sampai pukul 00.00 WIB.',
    too_many_requests: 'Kode baru hanya dapat diminta sekali per 60 detik. Tunggu sebentar lalu coba lagi.',
    internal_error: 'Terjadi gangguan pada sistem. Silakan coba lagi beberapa saat lagi.',
    unknown_payment: 'Pembayaran dengan ID ini tidak ditemukan.',
    unknown_reconciliation_run: 'Rekonsiliasi dengan ID ini tidak ditemukan.',
    payment_not_unmatched: 'Pembayaran ini tidak berstatus tidak cocok (unmatched), jadi tidak dapat dikembalikan atau dialihkan.',
    payment_already_resolved: 'Pembayaran ini sudah diselesaikan (dikembalikan atau dialihkan ke peserta); tidak dapat diproses dua kali.',
    invalid_settlement_file: 'Berkas settlement tidak valid — perbaiki baris yang disebutkan lalu unggah kembali.',
    unknown_mandate: 'Mandat autodebet tidak ditemukan.',
    mandate_exists: 'Anda sudah punya mandat autodebet yang aktif. Cabut mandat itu dulu untuk mendaftarkan rekening lain.',
    unknown_debit_provider: 'Bank atau dompet digital ini tidak tersedia untuk autodebet — pilih dari daftar.',
    invalid_account_number: 'Nomor rekening tidak valid: tulis 6–20 angka untuk rekening bank, atau nomor HP yang terdaftar di dompet digital.',
    autodebit_unavailable: 'Layanan autodebet belum tersedia. Bayar iuran dengan kode bayar dari portal Lindung.',
    identity_unavailable: 'Layanan verifikasi Dukcapil sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi.',
    // issue 13, rule fidelity (names, holidays, simulator)
    invalid_start_month: 'Bulan mulai iuran tidak valid: tulis tahun dan bulan (misalnya 2026-11) untuk bulan yang tarif iurannya sudah berlaku.',
    invalid_holiday_calendar: 'Daftar hari libur tidak valid: setiap tanggal harus tanggal di tahun itu dan hanya boleh tercantum sekali.',
    service_unavailable: 'Layanan sedang tidak tersedia sementara. Kirim ulang permintaan yang sama beberapa saat lagi (lihat header Retry-After).',
    payload_too_large: 'Data yang dikirim terlalu besar. Kirim data yang lebih kecil.',
    rate_limited: 'Terlalu banyak permintaan dalam waktu singkat. Tunggu beberapa menit, lalu coba lagi.',
    sms_limit_reached: 'Nomor HP ini sudah menerima 5 kode OTP hari ini — batas harian tercapai. Coba lagi besok (setelah pukul 00.00 WIB).',
    prepay_limit: 'Iuran hanya dapat dibayar di muka sampai 12 bulan setelah bulan berjalan. Pilih jumlah bulan yang lebih sedikit.',
    invalid_paid_at: 'Waktu bayar (paidAt) tidak masuk akal: lebih dari 5 menit di masa depan, atau sebelum tagihan diterbitkan. Tidak ada yang dicatat.',
    invalid_credentials: 'Nama pengguna, kata sandi atau kode autentikator salah. Periksa lalu coba lagi; setelah 5 kali salah dalam 15 menit, akun dikunci 15 menit.',
    document_empty: 'Berkas dokumen kosong. Pilih berkas foto (JPG/PNG) atau PDF yang berisi dokumen.',
    document_too_large: 'Berkas dokumen terlalu besar: paling besar 6 MB. Perkecil foto atau pindai ulang dengan resolusi lebih rendah.',
    document_type_not_allowed: 'Jenis berkas tidak diterima: kirim foto JPG atau PNG, atau berkas PDF.',
    claim_documents_closed: 'Dokumen tidak dapat ditambahkan lagi: klaim ini sudah diperiksa atau selesai. Dokumen hanya bisa dikirim saat klaim diajukan atau dikembalikan untuk dilengkapi; hubungi kantor cabang bila perlu.',
    rate_already_applied: 'Tingkat hasil pengembangan JHT tahun ini sudah dipakai untuk mengkredit saldo peserta; tidak dapat diubah lagi.',
    // issue 15, claims
    not_eligible: 'Klaim belum memenuhi syarat — lihat syarat yang belum terpenuhi dan apa yang perlu dilakukan.',
    online_limit_exceeded: 'Saldo JHT Anda di atas batas klaim lewat aplikasi. Ajukan klaim di kantor cabang.',
    partial_already_used: 'Klaim sebagian JHT (10% atau 30%) hanya boleh sekali dan sudah pernah Anda ambil.',
    membership_too_short: 'Masa kepesertaan belum cukup untuk klaim ini — lihat tanggal mulai bisa diajukan.',
    waiting_period: 'Klaim JHT karena berhenti bekerja baru bisa diajukan 1 bulan setelah berhenti bekerja.',
    not_covered_at_event: 'Pada saat kejadian, peserta tidak terlindungi program ini (iuran bulan itu belum dibayar).',
    claim_in_progress: 'Masih ada klaim jenis ini yang sedang diproses. Tunggu sampai klaim itu selesai.',
    invalid_transition: 'Klaim ini tidak dapat diproses dengan cara ini pada statusnya sekarang. Muat ulang data klaim.',
    same_officer: 'Petugas yang memeriksa klaim tidak boleh menyetujuinya. Minta petugas lain untuk menyetujui.',
    too_many_heirs: 'Ahli waris paling banyak 10 orang. Hapus salah satu sebelum menambah yang baru.',
    invalid_heir_name: 'Nama ahli waris tidak valid: tulis nama lengkap sesuai KTP atau akta lahir (huruf, paling panjang 100).',
    invalid_relationship: 'Pilih hubungan ahli waris: suami/istri, anak, orang tua, saudara kandung, atau lainnya.',
    invalid_birth_date: 'Tanggal lahir tidak valid: isi tanggal yang benar (tahun-bulan-tanggal), tidak di masa depan.',
    unknown_payout: 'Pembayaran klaim (payout) dengan ID ini tidak ditemukan.',
    payout_not_failed: 'Pembayaran klaim ini tidak berstatus gagal, jadi tidak dapat diterbitkan ulang.',
    // issue 16, contact centre
    no_open_bill: 'Peserta tidak punya tagihan terbuka: tidak ada kode pembayaran untuk dikirim ulang. Buat tagihan baru lebih dulu.',
    unknown_complaint: 'Pengaduan tidak ditemukan.',
    complaint_resolved: 'Pengaduan ini sudah diselesaikan.',
  },
  en: {
    invalid_request: 'Invalid request: check the format of the data sent.',
    unauthorized: 'Please sign in first.',
    invalid_signature: 'The notification signature is invalid.',
    forbidden: 'You are not allowed to access this data.',
    not_found: 'Not found.',
    unknown_payment_code: 'Unknown payment code — check the code you entered.',
    unknown_registration: 'Registration not found — start a new registration.',
    unknown_participant: 'No participant has this KPJ number.',
    already_registered: 'This NIK is already registered. Sign in with your phone number to pay contributions.',
    verification_incomplete: 'Email and phone verification are not complete. Finish both first.',
    registration_completed: 'This registration is complete and the membership is active.',
    external_id_conflict: 'This transaction id was already used for a payment with different data.',
    income_below_minimum: 'The declared income must be at least Rp1.000.000 a month.',
    invalid_programs: 'JKK and JKM are required; JHT is optional. No other programs are available.',
    invalid_months: 'Choose 1, 3, 6 or 12 months.',
    unknown_occupation: 'Unknown occupation — choose one from the list.',
    unknown_branch: 'Unknown branch office — choose one from the list.',
    invalid_nik: 'Invalid NIK: it must be the 16 digits on your ID card.',
    invalid_phone: 'Invalid phone number: use an Indonesian mobile number, e.g. 0812xxxxxxxx.',
    invalid_email: 'Invalid email address — check the spelling.',
    consent_required: 'You need to accept the terms and the processing of personal data.',
    identity_mismatch: 'The data does not match the population registry — check NIK, name as on the ID card, birth date and gender, or contact Disdukcapil.',
    invalid_token: 'Invalid email verification token — use the latest link in your email.',
    invalid_otp: 'Wrong or expired OTP — check the latest SMS or request a new code.',
    too_many_attempts: 'Too many wrong attempts. This code is locked — request a new OTP. After 10 wrong codes in one day, this phone number is locked until 00:00 WIB.',
    too_many_requests: 'A new code can be requested once every 60 seconds. Wait a moment and try again.',
    internal_error: 'Something went wrong on our side. Please try again shortly.',
    unknown_payment: 'No payment has this id.',
    unknown_reconciliation_run: 'No reconciliation run has this id.',
    payment_not_unmatched: 'This payment is not unmatched, so it cannot be refunded or assigned.',
    payment_already_resolved: 'This payment was already resolved (refunded or assigned to a member); it cannot be resolved twice.',
    invalid_settlement_file: 'Invalid settlement file — fix the lines listed and upload it again.',
    unknown_mandate: 'No such auto-debit mandate.',
    mandate_exists: 'You already have an active auto-debit mandate. Revoke it first to register another account.',
    unknown_debit_provider: 'This bank or e-wallet is not available for auto-debit — choose one from the list.',
    invalid_account_number: 'Invalid account number: 6–20 digits for a bank account, or the phone number registered with the e-wallet.',
    autodebit_unavailable: 'Auto-debit is not available. Pay contributions with a payment code from the Lindung portal.',
    identity_unavailable: 'The population registry cannot be reached right now. Try again shortly.',
    // issue 13, rule fidelity (names, holidays, simulator)
    invalid_start_month: 'Invalid start month: give the year and month (e.g. 2026-11) of a month the contribution rates apply to.',
    invalid_holiday_calendar: 'Invalid holiday list: every date must be a date of that year and appear only once.',
    service_unavailable: 'The service is temporarily unavailable. Send the same request again shortly (see the Retry-After header).',
    payload_too_large: 'The data sent is too large. Send less data.',
    rate_limited: 'Too many requests in a short time. Wait a few minutes, then try again.',
    sms_limit_reached: 'This phone number has received 5 OTP codes today — the daily limit is reached. Try again tomorrow (after 00:00 WIB).',
    prepay_limit: 'Contributions can be prepaid at most 12 months beyond the current month. Choose fewer months.',
    invalid_paid_at: 'Implausible paidAt: more than 5 minutes in the future, or before the bill was issued. Nothing was recorded.',
    invalid_credentials: 'Wrong username, password or authenticator code. Check them and try again; after 5 failures in 15 minutes the account is locked for 15 minutes.',
    document_empty: 'The document file is empty. Choose a photo (JPG/PNG) or PDF file that contains the document.',
    document_too_large: 'The document file is too large: at most 6 MB. Shrink the photo or scan again at a lower resolution.',
    document_type_not_allowed: 'File type not accepted: send a JPG or PNG photo, or a PDF file.',
    claim_documents_closed: 'Documents can no longer be added: this claim has been checked or is finished. Documents are sent while a claim is submitted or returned for completion; contact a branch if needed.',
    rate_already_applied: "This year's JHT return rate was already used to credit members' balances; it can no longer be changed.",
    // issue 15, claims
    not_eligible: 'The claim does not meet the conditions — see which ones failed and what to do.',
    online_limit_exceeded: 'Your JHT balance is above the limit for claims in the app. File the claim at a branch office.',
    partial_already_used: 'A partial JHT claim (10% or 30%) is allowed once and you already used it.',
    membership_too_short: 'The membership is not long enough for this claim yet — see the date it can be filed from.',
    waiting_period: 'A JHT claim for stopping work can be filed 1 month after the work stopped.',
    not_covered_at_event: 'The participant was not covered by this program at the time of the event (that month was not paid).',
    claim_in_progress: 'A claim of this type is still being processed. Wait until it is finished.',
    invalid_transition: 'This claim cannot be processed this way in its current status. Reload the claim.',
    same_officer: 'The officer who verified the claim may not approve it. Ask another officer to approve it.',
    too_many_heirs: 'At most 10 heirs. Remove one before adding another.',
    invalid_heir_name: "Invalid heir name: write the full name as on the ID card or birth certificate (letters, at most 100).",
    invalid_relationship: 'Choose the heir’s relationship: spouse, child, parent, sibling, or other.',
    invalid_birth_date: 'Invalid date of birth: enter a real date (year-month-day), not in the future.',
    unknown_payout: 'No claim payout has this id.',
    payout_not_failed: 'This claim payout has not failed, so it cannot be re-issued.',
    // issue 16, contact centre
    no_open_bill: 'The participant has no open bill: there is no payment code to resend. Issue a new bill first.',
    unknown_complaint: 'Complaint not found.',
    complaint_resolved: 'This complaint is already resolved.',
  },
});

/**
 * A code's message for the one caller its own text would mislead, the code (the contract) unchanged: an AppError
 * names the key (`messageKey`) and errorBody uses this text instead of the code's. `staff_account_locked`:
 * `too_many_attempts` of a staff sign-in (the code's own text speaks of an OTP and a phone number).
 */
export type ErrorMessageKey = 'staff_account_locked';

export const ERROR_MESSAGE_VARIANTS = catalogue<ErrorMessageKey>({
  id: {
    staff_account_locked: 'Terlalu banyak percobaan masuk yang salah. Akun staf ini dikunci selama 15 menit — coba lagi setelah itu, atau hubungi administrator.',
  },
  en: {
    staff_account_locked: 'Too many failed sign-in attempts. This staff account is locked for 15 minutes — try again after that, or contact an administrator.',
  },
});

export function errorMessage(code: ErrorCode, locale: Locale, key?: ErrorMessageKey): string {
  return key === undefined ? ERROR_MESSAGES[locale][code] : ERROR_MESSAGE_VARIANTS[locale][key];
}
