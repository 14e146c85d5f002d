import type { ErrorCode } from './errors.js';

export type Locale = 'id' | 'en';

/**
 * What each error tells a person, Indonesian first. Every message says what to do next.
 */
const MESSAGES: Record<ErrorCode, Record<Locale, string>> = {
  invalid_request: { id: 'Permintaan tidak valid: periksa format data yang dikirim.', en: 'Invalid request: check the format of the data sent.' },
  unauthorized: { id: 'Silakan masuk terlebih dahulu.', en: 'Please sign in first.' },
  invalid_signature: { id: 'Tanda tangan notifikasi tidak valid.', en: 'The notification signature is invalid.' },
  forbidden: { id: 'Anda tidak berwenang mengakses data ini.', en: 'You are not allowed to access this data.' },
  not_found: { id: 'Halaman atau data tidak ditemukan.', en: 'Not found.' },
  unknown_payment_code: { id: 'Kode pembayaran tidak dikenal — periksa kembali kode yang Anda masukkan.', en: 'Unknown payment code — check the code you entered.' },
  unknown_registration: { id: 'Pendaftaran tidak ditemukan — mulai pendaftaran baru.', en: 'Registration not found — start a new registration.' },
  unknown_participant: { id: 'Peserta dengan nomor KPJ ini tidak ditemukan.', en: 'No participant has this KPJ number.' },
  already_registered: { id: 'NIK ini sudah terdaftar sebagai peserta. Masuk dengan nomor HP Anda untuk membayar iuran.', en: 'This NIK is already registered. Sign in with your phone number to pay contributions.' },
  verification_incomplete: { id: 'Verifikasi email dan nomor HP belum selesai. Selesaikan keduanya terlebih dahulu.', en: 'Email and phone verification are not complete. Finish both first.' },
  registration_completed: { id: 'Pendaftaran ini sudah selesai dan kepesertaan sudah aktif.', en: 'This registration is complete and the membership is active.' },
  external_id_conflict: { id: 'ID transaksi ini sudah dipakai untuk pembayaran dengan data berbeda.', en: 'This transaction id was already used for a payment with different data.' },
  income_below_minimum: { id: 'Penghasilan yang dilaporkan minimal Rp1.000.000 per bulan.', en: 'The declared income must be at least Rp1.000.000 a month.' },
  invalid_programs: { id: 'Program wajib JKK dan JKM; JHT boleh ditambahkan. Program lain tidak tersedia.', en: 'JKK and JKM are required; JHT is optional. No other programs are available.' },
  invalid_months: { id: 'Pilih jumlah bulan 1, 3, 6, atau 12.', en: 'Choose 1, 3, 6 or 12 months.' },
  unknown_occupation: { id: 'Jenis pekerjaan tidak dikenal — pilih dari daftar pekerjaan.', en: 'Unknown occupation — choose one from the list.' },
  unknown_branch: { id: 'Kantor cabang tidak dikenal — pilih dari daftar kantor cabang.', en: 'Unknown branch office — choose one from the list.' },
  invalid_nik: { id: 'NIK tidak valid: harus 16 angka sesuai KTP. Periksa kembali NIK Anda.', en: 'Invalid NIK: it must be the 16 digits on your ID card.' },
  invalid_phone: { id: 'Nomor HP tidak valid: gunakan nomor seluler Indonesia, misalnya 0812xxxxxxxx.', en: 'Invalid phone number: use an Indonesian mobile number, e.g. 0812xxxxxxxx.' },
  invalid_email: { id: 'Alamat email tidak valid — periksa kembali penulisannya.', en: 'Invalid email address — check the spelling.' },
  consent_required: { id: 'Anda perlu menyetujui syarat dan ketentuan serta pemrosesan data pribadi.', en: 'You need to accept the terms and the processing of personal data.' },
  identity_mismatch: { id: 'Data tidak cocok dengan Dukcapil — periksa kembali NIK, nama sesuai KTP, tanggal lahir, dan jenis kelamin, atau hubungi Disdukcapil.', en: 'The data does not match the population registry — check NIK, name as on the ID card, birth date and gender, or contact Disdukcapil.' },
  invalid_token: { id: 'Tautan verifikasi email tidak valid — gunakan tautan terbaru di email Anda.', en: 'Invalid email verification token — use the latest link in your email.' },
  invalid_otp: { id: 'Kode OTP salah atau sudah kedaluwarsa — periksa SMS terbaru atau minta kode baru.', en: 'Wrong or expired OTP — check the latest SMS or request a new code.' },
  too_many_attempts: {
    id: 'Terlalu banyak percobaan kode yang salah. Kode ini dikunci — minta kode OTP baru. Setelah 10 kode salah dalam sehari, nomor HP ini dikunci sampai pukul 00.00 WIB.',
    en: 'Too many wrong attempts. This code is locked — request a new OTP. After 10 wrong codes in one day, this phone number is locked until 00:00 WIB.',
  },
  too_many_requests: { id: 'Kode baru hanya dapat diminta sekali per 60 detik. Tunggu sebentar lalu coba lagi.', en: 'A new code can be requested once every 60 seconds. Wait a moment and try again.' },
  internal_error: { id: 'Terjadi gangguan pada sistem. Silakan coba lagi beberapa saat lagi.', en: 'Something went wrong on our side. Please try again shortly.' },
  unknown_payment: { id: 'Pembayaran dengan ID ini tidak ditemukan.', en: 'No payment has this id.' },
  unknown_reconciliation_run: { id: 'Rekonsiliasi dengan ID ini tidak ditemukan.', en: 'No reconciliation run has this id.' },
  payment_not_unmatched: { id: 'Pembayaran ini tidak berstatus tidak cocok (unmatched), jadi tidak dapat dikembalikan atau dialihkan.', en: 'This payment is not unmatched, so it cannot be refunded or assigned.' },
  payment_already_resolved: { id: 'Pembayaran ini sudah diselesaikan (dikembalikan atau dialihkan ke peserta); tidak dapat diproses dua kali.', en: 'This payment was already resolved (refunded or assigned to a member); it cannot be resolved twice.' },
  invalid_settlement_file: { id: 'Berkas settlement tidak valid — perbaiki baris yang disebutkan lalu unggah kembali.', en: 'Invalid settlement file — fix the lines listed and upload it again.' },
  unknown_mandate: { id: 'Mandat autodebet tidak ditemukan.', en: 'No such auto-debit mandate.' },
  mandate_exists: { id: 'Anda sudah punya mandat autodebet yang aktif. Cabut mandat itu dulu untuk mendaftarkan rekening lain.', en: 'You already have an active auto-debit mandate. Revoke it first to register another account.' },
  unknown_debit_provider: { id: 'Bank atau dompet digital ini tidak tersedia untuk autodebet — pilih dari daftar.', en: 'This bank or e-wallet is not available for auto-debit — choose one from the list.' },
  invalid_account_number: { id: 'Nomor rekening tidak valid: tulis 6–20 angka untuk rekening bank, atau nomor HP yang terdaftar di dompet digital.', en: 'Invalid account number: 6–20 digits for a bank account, or the phone number registered with the e-wallet.' },
  autodebit_unavailable: { id: 'Layanan autodebet belum tersedia. Bayar iuran dengan kode bayar dari portal Lindung.', en: 'Auto-debit is not available. Pay contributions with a payment code from the Lindung portal.' },
  identity_unavailable: { id: 'Layanan verifikasi Dukcapil sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi.', en: 'The population registry cannot be reached right now. Try again shortly.' },
  // issue 13, rule fidelity (names, holidays, simulator)
  invalid_start_month: { id: 'Bulan mulai iuran tidak valid: tulis tahun dan bulan (misalnya 2026-11) untuk bulan yang tarif iurannya sudah berlaku.', en: 'Invalid start month: give the year and month (e.g. 2026-11) of a month the contribution rates apply to.' },
  invalid_holiday_calendar: { id: 'Daftar hari libur tidak valid: setiap tanggal harus tanggal di tahun itu dan hanya boleh tercantum sekali.', en: 'Invalid holiday list: every date must be a date of that year and appear only once.' },
  service_unavailable: { id: 'Layanan sedang tidak tersedia sementara. Kirim ulang permintaan yang sama beberapa saat lagi (lihat header Retry-After).', en: 'The service is temporarily unavailable. Send the same request again shortly (see the Retry-After header).' },
  payload_too_large: { id: 'Data yang dikirim terlalu besar. Kirim data yang lebih kecil.', en: 'The data sent is too large. Send less data.' },
  rate_limited: { id: 'Terlalu banyak permintaan dalam waktu singkat. Tunggu beberapa menit, lalu coba lagi.', en: 'Too many requests in a short time. Wait a few minutes, then try again.' },
  sms_limit_reached: { id: 'Nomor HP ini sudah menerima 5 kode OTP hari ini — batas harian tercapai. Coba lagi besok (setelah pukul 00.00 WIB).', en: 'This phone number has received 5 OTP codes today — the daily limit is reached. Try again tomorrow (after 00:00 WIB).' },
  prepay_limit: { id: 'Iuran hanya dapat dibayar di muka sampai 12 bulan setelah bulan berjalan. Pilih jumlah bulan yang lebih sedikit.', en: 'Contributions can be prepaid at most 12 months beyond the current month. Choose fewer months.' },
  invalid_paid_at: { id: 'Waktu bayar (paidAt) tidak masuk akal: lebih dari 5 menit di masa depan, atau sebelum tagihan diterbitkan. Tidak ada yang dicatat.', en: 'Implausible paidAt: more than 5 minutes in the future, or before the bill was issued. Nothing was recorded.' },
};

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return MESSAGES[code][locale];
}
