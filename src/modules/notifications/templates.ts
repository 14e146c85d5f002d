import { formatRupiah } from '../../shared/money.js';

/**
 * Message texts, Indonesian (the language of the people the system serves). SMS texts stay under 160 characters
 * so they travel as one part on any phone.
 */
export type Template =
  | { template: 'registration_email_token'; fullName: string; token: string; link: string }
  | { template: 'registration_otp'; otp: string }
  | { template: 'login_otp'; otp: string }
  | { template: 'payment_code'; fullName: string; paymentCode: string; amount: number; expiresAt: string }
  | { template: 'card_issued'; fullName: string; kpj: string; coveredThrough: string; verifyUrl: string; participantId: string }
  | { template: 'payment_receipt'; fullName: string; kpj: string; amount: number; months: string; paymentCode: string };

export interface RenderedMessage {
  subject: string;
  body: string;
  /** What /dev/outbox exposes under `data`, and what the worker needs to finish the message (e.g. attach the card). */
  data: Record<string, unknown>;
}

export function renderTemplate(t: Template): RenderedMessage {
  switch (t.template) {
    case 'registration_email_token':
      return {
        subject: 'Verifikasi email pendaftaran BPJS Ketenagakerjaan BPU',
        body: [
          `Halo ${t.fullName},`,
          '',
          'Terima kasih telah mendaftar sebagai peserta Bukan Penerima Upah (BPU).',
          `Kode verifikasi email Anda: ${t.token}`,
          `Atau buka tautan ini untuk memverifikasi dan melanjutkan pendaftaran: ${t.link}`,
          '',
          'Jika Anda tidak merasa mendaftar, abaikan email ini.',
        ].join('\n'),
        data: { token: t.token },
      };
    case 'registration_otp':
      return { subject: '', body: `Kode OTP pendaftaran BPJS Ketenagakerjaan: ${t.otp}. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.`, data: { otp: t.otp } };
    case 'login_otp':
      return { subject: '', body: `Kode masuk Lindung BPJS Ketenagakerjaan: ${t.otp}. Berlaku 5 menit. Jangan berikan kode ini kepada siapa pun.`, data: { otp: t.otp } };
    case 'payment_code':
      return {
        subject: `Kode pembayaran iuran ${t.paymentCode}`,
        body: [
          `Halo ${t.fullName},`,
          '',
          `Kode pembayaran iuran Anda: ${t.paymentCode}`,
          `Jumlah: ${formatRupiah(t.amount)}`,
          `Bayar sebelum: ${t.expiresAt} (WIB). Setelah itu kode tidak berlaku dan pendaftaran perlu diajukan ulang.`,
          '',
          'Bayar melalui virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra dengan kode di atas.',
        ].join('\n'),
        data: { paymentCode: t.paymentCode },
      };
    case 'card_issued':
      return {
        subject: `Kartu peserta BPJS Ketenagakerjaan — KPJ ${t.kpj}`,
        body: [
          `Selamat ${t.fullName}, kepesertaan Anda sudah aktif.`,
          '',
          `Nomor KPJ: ${t.kpj}`,
          `Masa perlindungan sampai dengan: ${t.coveredThrough}`,
          `Kartu digital terlampir (PDF). Keaslian kartu dapat dicek di: ${t.verifyUrl}`,
          '',
          'Bayar iuran paling lambat tanggal 15 setiap bulan agar perlindungan tetap aktif.',
        ].join('\n'),
        data: { kpj: t.kpj, participantId: t.participantId, attachCard: true },
      };
    case 'payment_receipt':
      return {
        subject: `Tanda terima iuran KPJ ${t.kpj}`,
        body: [
          `Halo ${t.fullName},`,
          '',
          `Iuran sebesar ${formatRupiah(t.amount)} untuk bulan ${t.months} telah kami terima (kode ${t.paymentCode}).`,
          'Terima kasih telah menjaga perlindungan Anda tetap aktif.',
        ].join('\n'),
        data: { kpj: t.kpj },
      };
  }
}
