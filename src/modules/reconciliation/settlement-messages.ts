import { catalogue, fill, type Lang } from '../../shared/i18n/catalogue.js';
import type { SettlementLineError, SettlementLineErrorCode } from './settlement-file.js';

/**
 * What each settlement-file line error tells staff, Indonesian first; each says what to fix. `{expected}` and
 * `{column}` come from the error (empty when it has none).
 */
export const SETTLEMENT_LINE_MESSAGES = catalogue<SettlementLineErrorCode>({
  id: {
    unexpected_quote: 'Tanda kutip (") di tengah kolom yang tidak diapit tanda kutip. Apit seluruh kolom dengan tanda kutip dan gandakan tanda kutip di dalamnya ("").',
    text_after_quote: 'Ada teks setelah tanda kutip penutup. Setelah tanda kutip penutup harus koma atau baris baru.',
    unterminated_quote: 'Tanda kutip yang dibuka di baris ini tidak pernah ditutup.',
    bare_carriage_return: 'Karakter CR tanpa LF. Gunakan CRLF atau LF sebagai akhir baris.',
    empty_file: 'Berkas kosong. Baris pertama harus berupa header: {expected}',
    wrong_header: 'Header tidak sesuai format kanal ini. Header yang benar: {expected}',
    blank_line: 'Baris kosong. Hapus baris kosong dari berkas.',
    wrong_column_count: 'Jumlah kolom salah: harus {expected} kolom seperti header.',
    missing_value: 'Kolom {column} wajib diisi.',
    invalid_settlement_date: 'Tanggal settlement tidak valid: gunakan format YYYY-MM-DD.',
    settlement_date_mismatch: 'Tanggal settlement berbeda dengan tanggal rekonsiliasi ({expected}). Satu berkas berisi transaksi satu tanggal.',
    invalid_reference: 'Nomor referensi tidak valid: maksimal 128 karakter, tanpa karakter kontrol atau spasi di awal/akhir.',
    invalid_payment_code: 'Kolom {column} tidak valid: maksimal 64 karakter, tanpa karakter kontrol atau spasi di awal/akhir.',
    invalid_text: 'Kolom {column} tidak valid: maksimal 64 karakter, tanpa karakter kontrol atau spasi di awal/akhir.',
    invalid_amount: 'Nominal tidak valid: tulis rupiah bulat tanpa pemisah ribuan atau "Rp", misalnya 16800 (akhiran .00 boleh).',
    invalid_transaction_time: 'Waktu transaksi tidak valid: gunakan "YYYY-MM-DD HH:mm:ss" (WIB) atau ISO 8601 dengan zona waktu.',
    duplicate_reference: 'Nomor referensi ini sudah ada di baris {expected}. Satu transaksi hanya boleh satu baris.',
    too_many_rows: 'Terlalu banyak baris: maksimal {expected} transaksi per berkas.',
  },
  en: {
    unexpected_quote: 'A quote (") inside a field that is not quoted. Quote the whole field and double the quotes inside it ("").',
    text_after_quote: 'Text after a closing quote. A closing quote must be followed by a comma or a line break.',
    unterminated_quote: 'A quote opened on this line is never closed.',
    bare_carriage_return: 'A CR without LF. End lines with CRLF or LF.',
    empty_file: 'Empty file. The first line must be the header: {expected}',
    wrong_header: 'The header does not match this channel\'s format. Expected: {expected}',
    blank_line: 'Blank line. Remove blank lines from the file.',
    wrong_column_count: 'Wrong number of fields: {expected} expected, as in the header.',
    missing_value: 'Field {column} is required.',
    invalid_settlement_date: 'Invalid settlement date: use YYYY-MM-DD.',
    settlement_date_mismatch: 'The settlement date differs from the run\'s date ({expected}). One file holds one date\'s transactions.',
    invalid_reference: 'Invalid reference: at most 128 characters, no control characters, no leading or trailing spaces.',
    invalid_payment_code: 'Invalid {column}: at most 64 characters, no control characters, no leading or trailing spaces.',
    invalid_text: 'Invalid {column}: at most 64 characters, no control characters, no leading or trailing spaces.',
    invalid_amount: 'Invalid amount: write whole rupiah without thousands separators or "Rp", e.g. 16800 (a .00 suffix is allowed).',
    invalid_transaction_time: 'Invalid transaction time: use "YYYY-MM-DD HH:mm:ss" (WIB) or ISO 8601 with an offset.',
    duplicate_reference: 'This reference is already on line {expected}. One transaction, one line.',
    too_many_rows: 'Too many rows: at most {expected} transactions per file.',
  },
});

export function lineErrorView(e: SettlementLineError, locale: Lang) {
  return { ...e, message: fill(SETTLEMENT_LINE_MESSAGES[locale][e.code], { expected: e.expected ?? '', column: e.column ?? '' }) };
}
