import { catalogue } from './catalogue.js';

/** The public receipt check (/kuitansi): a worker checks that a PERISAI agent's receipt is real and the money arrived. */
export const receiptCheck = catalogue({
  id: {
    title: 'Cek kuitansi agen PERISAI',
    intro: 'Masukkan nomor kuitansi dan kode cek dari SMS yang Anda terima setelah membayar iuran kepada agen PERISAI.',
    receiptNo: 'Nomor kuitansi',
    receiptNoHint: 'Contoh: KW-AG000123-000045',
    code: 'Kode cek (6 karakter)',
    submit: 'Cek kuitansi',
    valid: 'Kuitansi sah: uang iuran Anda sudah diterima BPJS Ketenagakerjaan.',
    invalid: 'Kuitansi tidak ditemukan atau kode cek salah. Periksa kembali SMS Anda; bila tetap tidak cocok, hubungi kantor cabang atau 175.',
    amount: 'Jumlah',
    months: 'Jumlah bulan iuran',
    kpj: 'Nomor KPJ',
    receivedAt: 'Diterima sistem',
  },
  en: {
    title: 'Check a PERISAI agent receipt',
    intro: 'Enter the receipt number and the check code from the SMS you received after paying your contribution to a PERISAI agent.',
    receiptNo: 'Receipt number',
    receiptNoHint: 'For example: KW-AG000123-000045',
    code: 'Check code (6 characters)',
    submit: 'Check receipt',
    valid: 'The receipt is valid: BPJS Ketenagakerjaan has received your contribution.',
    invalid: 'Receipt not found or wrong check code. Check your SMS again; if it still does not match, contact the branch office or 175.',
    amount: 'Amount',
    months: 'Contribution months',
    kpj: 'KPJ number',
    receivedAt: 'Received by the system',
  },
});
