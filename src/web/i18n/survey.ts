import { catalogue } from './catalogue.js';

/** The public e-survey page (/survei/<token>) linked from the SMS after a counter registration. */
export const survey = catalogue({
  id: {
    title: 'Survei layanan',
    intro: 'Bagaimana pelayanan kami di kantor cabang atau SPO hari ini? Penilaian Anda membantu kami menjadi lebih baik.',
    ratingLegend: 'Nilai layanan kami (1 = sangat buruk, 5 = sangat baik)',
    star1: '1 bintang — sangat buruk',
    star2: '2 bintang — buruk',
    star3: '3 bintang — cukup',
    star4: '4 bintang — baik',
    star5: '5 bintang — sangat baik',
    ratingRequired: 'Pilih nilai 1 sampai 5 bintang.',
    comment: 'Saran atau komentar (tidak wajib)',
    submit: 'Kirim penilaian',
    thanks: 'Terima kasih atas penilaian Anda.',
    answered: 'Survei ini sudah diisi. Terima kasih.',
    unknown: 'Tautan survei tidak ditemukan. Periksa tautan dari SMS.',
  },
  en: {
    title: 'Service survey',
    intro: 'How was our service at the branch office or SPO today? Your rating helps us improve.',
    ratingLegend: 'Rate our service (1 = very poor, 5 = very good)',
    star1: '1 star — very poor',
    star2: '2 stars — poor',
    star3: '3 stars — fair',
    star4: '4 stars — good',
    star5: '5 stars — very good',
    ratingRequired: 'Choose 1 to 5 stars.',
    comment: 'Suggestions or comments (optional)',
    submit: 'Send rating',
    thanks: 'Thank you for your rating.',
    answered: 'This survey was already answered. Thank you.',
    unknown: 'Survey link not found. Check the link in the SMS.',
  },
});
