import type { Locale } from '../../http/messages.js';
import type { SettlementLineError, SettlementLineErrorCode } from './settlement-file.js';

type Template = (e: SettlementLineError) => string;

/** What each settlement-file line error tells staff, Indonesian first; each says what to fix. */
const LINE_MESSAGES: Record<SettlementLineErrorCode, Record<Locale, Template>> = {
  unexpected_quote: {
    id: () => 'Tanda kutip (") di tengah kolom yang tidak diapit tanda kutip. Apit seluruh kolom dengan tanda kutip dan gandakan tanda kutip di dalamnya ("").',
    en: () => 'A quote (") inside a field that is not quoted. Quote the whole field and double the quotes inside it ("").',
  },
  text_after_quote: {
    id: () => 'Ada teks setelah tanda kutip penutup. Setelah tanda kutip penutup harus koma atau baris baru.',
    en: () => 'Text after a closing quote. A closing quote must be followed by a comma or a line break.',
  },
  unterminated_quote: {
    id: () => 'Tanda kutip yang dibuka di baris ini tidak pernah ditutup.',
    en: () => 'A quote opened on this line is never closed.',
  },
  bare_carriage_return: {
    id: () => 'Karakter CR tanpa LF. Gunakan CRLF atau LF sebagai akhir baris.',
    en: () => 'A CR without LF. End lines with CRLF or LF.',
  },
  empty_file: {
    id: (e) => `Berkas kosong. Baris pertama harus berupa header: ${e.expected ?? ''}`,
    en: (e) => `Empty file. The first line must be the header: ${e.expected ?? ''}`,
  },
  wrong_header: {
    id: (e) => `Header tidak sesuai format kanal ini. Header yang benar: ${e.expected ?? ''}`,
    en: (e) => `The header does not match this channel's format. Expected: ${e.expected ?? ''}`,
  },
  blank_line: {
    id: () => 'Baris kosong. Hapus baris kosong dari berkas.',
    en: () => 'Blank line. Remove blank lines from the file.',
  },
  wrong_column_count: {
    id: (e) => `Jumlah kolom salah: harus ${e.expected ?? ''} kolom seperti header.`,
    en: (e) => `Wrong number of fields: ${e.expected ?? ''} expected, as in the header.`,
  },
  missing_value: {
    id: (e) => `Kolom ${e.column ?? ''} wajib diisi.`,
    en: (e) => `Field ${e.column ?? ''} is required.`,
  },
  invalid_settlement_date: {
    id: () => 'Tanggal settlement tidak valid: gunakan format YYYY-MM-DD.',
    en: () => 'Invalid settlement date: use YYYY-MM-DD.',
  },
  settlement_date_mismatch: {
    id: (e) => `Tanggal settlement berbeda dengan tanggal rekonsiliasi (${e.expected ?? ''}). Satu berkas berisi transaksi satu tanggal.`,
    en: (e) => `The settlement date differs from the run's date (${e.expected ?? ''}). One file holds one date's transactions.`,
  },
  invalid_reference: {
    id: () => 'Nomor referensi tidak valid: maksimal 128 karakter, tanpa karakter kontrol atau spasi di awal/akhir.',
    en: () => 'Invalid reference: at most 128 characters, no control characters, no leading or trailing spaces.',
  },
  invalid_payment_code: {
    id: (e) => `Kolom ${e.column ?? ''} tidak valid: maksimal 64 karakter, tanpa karakter kontrol atau spasi di awal/akhir.`,
    en: (e) => `Invalid ${e.column ?? ''}: at most 64 characters, no control characters, no leading or trailing spaces.`,
  },
  invalid_text: {
    id: (e) => `Kolom ${e.column ?? ''} tidak valid: maksimal 64 karakter, tanpa karakter kontrol atau spasi di awal/akhir.`,
    en: (e) => `Invalid ${e.column ?? ''}: at most 64 characters, no control characters, no leading or trailing spaces.`,
  },
  invalid_amount: {
    id: () => 'Nominal tidak valid: tulis rupiah bulat tanpa pemisah ribuan atau "Rp", misalnya 16800 (akhiran .00 boleh).',
    en: () => 'Invalid amount: write whole rupiah without thousands separators or "Rp", e.g. 16800 (a .00 suffix is allowed).',
  },
  invalid_transaction_time: {
    id: () => 'Waktu transaksi tidak valid: gunakan "YYYY-MM-DD HH:mm:ss" (WIB) atau ISO 8601 dengan zona waktu.',
    en: () => 'Invalid transaction time: use "YYYY-MM-DD HH:mm:ss" (WIB) or ISO 8601 with an offset.',
  },
  duplicate_reference: {
    id: (e) => `Nomor referensi ini sudah ada di baris ${e.expected ?? ''}. Satu transaksi hanya boleh satu baris.`,
    en: (e) => `This reference is already on line ${e.expected ?? ''}. One transaction, one line.`,
  },
  too_many_rows: {
    id: (e) => `Terlalu banyak baris: maksimal ${e.expected ?? ''} transaksi per berkas.`,
    en: (e) => `Too many rows: at most ${e.expected ?? ''} transactions per file.`,
  },
};

export function lineErrorView(e: SettlementLineError, locale: Locale) {
  return { ...e, message: LINE_MESSAGES[e.code][locale](e) };
}
