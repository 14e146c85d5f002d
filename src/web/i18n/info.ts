import { catalogue } from './catalogue.js';

/**
 * The public information pages (issue 18): help (/bantuan, written from /work/shared/seeds and domain-rules.md), the
 * terms (/syarat), the privacy notice (/privasi, UU 27/2022), the branch directory (/kantor-cabang), the footer's
 * links, and the way back from the 404 and 500 pages. A help section is a title and its paragraphs; the help search
 * (?q=) filters the sections by their words.
 */
export const info = catalogue({
  id: {
    footerLinks: 'Informasi',
    linkHelp: 'Bantuan',
    linkTerms: 'Syarat dan ketentuan',
    linkPrivacy: 'Pemberitahuan privasi',
    linkBranches: 'Kantor cabang',
    wayBackTitle: 'Ke mana sekarang?',
    wayBackHome: 'Beranda',
    searchLabel: 'Cari di halaman bantuan',
    searchButton: 'Cari',
    notFoundAsked: 'Alamat yang dibuka: {path}',
    errorNoData: 'Data Anda aman: tidak ada pembayaran yang tercatat dua kali. Bila Anda sedang membayar, cek status pembayaran di Akun saya.',

    helpTitle: 'Bantuan',
    helpIntro: 'Jawaban singkat untuk pertanyaan yang paling sering ditanyakan pekerja mandiri tentang BPJS Ketenagakerjaan BPU.',
    helpSearchResult: '{n} bagian cocok dengan “{q}”.',
    helpSearchNone: 'Tidak ada bagian yang cocok dengan “{q}”. Coba kata lain, misalnya “bayar”, “telat” atau “klaim”.',
    helpSearchAll: 'Tampilkan semua bagian',
    helpWhoTitle: 'Siapa yang bisa ikut?',
    helpWho1:
      'Pekerja Bukan Penerima Upah (BPU): orang yang bekerja sendiri tanpa gaji tetap dari pemberi kerja, misalnya pengemudi ojek daring, pedagang, petani, nelayan, penjahit, pekerja lepas (freelancer) dan pekerja rumahan.',
    helpWho2: 'Syaratnya: warga negara Indonesia dengan NIK (KTP), berusia 15 sampai 65 tahun, dan punya nomor HP yang aktif untuk menerima SMS.',
    helpCostTitle: 'Berapa iurannya?',
    helpCost1:
      'Dua program wajib: Jaminan Kecelakaan Kerja (JKK) 1% dari penghasilan yang Anda pilih, dan Jaminan Kematian (JKM) Rp6.800 per bulan. Paling murah Rp16.800 per bulan (penghasilan Rp1.000.000).',
    helpCost2: 'Jaminan Hari Tua (JHT) boleh ditambah: 2% dari penghasilan yang sama, paling murah Rp20.000 per bulan. Tabungan JHT menjadi milik Anda.',
    helpCost3:
      'Potongan PP 50/2025: iuran JKK dan JKM dipotong 50% untuk sektor transportasi (Januari 2026 sampai Maret 2027) dan sektor lain (April sampai Desember 2026), sehingga paling murah Rp8.400 per bulan. JHT tidak dipotong.',
    helpCost4: 'Hitung iuran Anda sendiri di halaman Simulasi iuran.',
    helpPayTitle: 'Bagaimana cara membayar?',
    helpPay1: 'Setelah mendaftar, Anda mendapat kode bayar 16 angka lewat SMS dan email. Kode yang sama ada di halaman pembayaran.',
    helpPay2: 'Bayar dengan kode itu lewat virtual account bank, QRIS, dompet digital, minimarket, atau loket mitra. Tidak perlu datang ke kantor.',
    helpPay3: 'Iuran dibayar setiap bulan paling lambat tanggal 15. Anda juga bisa membayar beberapa bulan sekaligus, atau memasang autodebet.',
    helpPay4: 'Belum selesai membayar pendaftaran? Buka Masuk, ketik nomor HP yang Anda daftarkan, lalu masukkan kode dari SMS: Anda kembali ke langkah terakhir pendaftaran.',
    helpLateTitle: 'Bagaimana kalau saya telat membayar?',
    helpLate1: 'Tidak ada denda. Iuran yang belum dibayar sampai 3 bulan boleh dibayar belakangan.',
    helpLate2: 'Selama menunggak, perlindungan JKK dan JKM hanya berlaku untuk bulan yang sudah dibayar. Kecelakaan di bulan yang belum dibayar tidak ditanggung.',
    helpLate3:
      'Lebih dari 3 bulan berturut-turut tidak membayar, kepesertaan menjadi nonaktif. Untuk aktif lagi, bayar iuran mulai bulan berjalan; tunggakan lama tidak ditagih dan nomor KPJ Anda tetap.',
    helpClaimTitle: 'Bagaimana cara klaim JKK, JKM dan JHT?',
    helpClaimJkk:
      'JKK (kecelakaan kerja): laporkan kecelakaan secepatnya lewat Akun saya › Klaim, atau ke kantor cabang. Biaya perawatan ditanggung sesuai kebutuhan medis tanpa batas biaya; selama tidak bisa bekerja Anda mendapat santunan upah.',
    helpClaimJkm:
      'JKM (kematian): ahli waris mengajukan ke kantor cabang dengan kartu peserta, KTP dan KK ahli waris, serta surat keterangan kematian. Santunan Rp42.000.000 bila kematian terjadi di bulan yang sudah dibayar.',
    helpClaimJht:
      'JHT: bisa dicairkan seluruhnya pada usia 56 tahun, berhenti bekerja (sudah 1 bulan), pindah ke luar negeri untuk selamanya, atau cacat total tetap. Saldo sampai Rp15.000.000 bisa diklaim sendiri di Akun saya › Klaim; di atas itu lewat kantor cabang.',
    helpClaimAccount: 'Dana klaim dikirim ke rekening bank atas nama Anda sendiri. Petugas BPJS Ketenagakerjaan tidak pernah meminta uang atau kode OTP Anda.',
    helpContactTitle: 'Masih butuh bantuan?',
    helpContact1: 'Telepon 175 (BPJS Ketenagakerjaan Care), atau datangi kantor cabang terdekat.',

    termsTitle: 'Syarat dan ketentuan',
    termsVersion: 'Versi 1, berlaku sejak 8 Desember 2026.',
    termsIntro: 'Syarat ini berlaku saat Anda memakai portal Lindung untuk mendaftar, membayar iuran, melihat kartu dan mengajukan klaim BPJS Ketenagakerjaan BPU.',
    terms1: 'Data yang Anda isi harus benar dan milik Anda sendiri. NIK dicek ke data kependudukan; pendaftaran dengan data orang lain dapat dibatalkan.',
    terms2: 'Kepesertaan mulai setelah iuran pertama dibayar. Perlindungan JKK dan JKM hanya berlaku untuk bulan yang sudah dibayar.',
    terms3: 'Iuran dibayar setiap bulan paling lambat tanggal 15. Tidak ada denda; lebih dari 3 bulan tidak membayar membuat kepesertaan nonaktif.',
    terms4: 'Kode bayar berlaku sampai waktu yang tertulis di halaman pembayaran dan SMS. Uang yang dibayar dengan kode yang sudah tidak berlaku dikembalikan atau disimpan di dompet iuran Anda.',
    terms5: 'Jaga kerahasiaan kode OTP. Jangan berikan kode kepada siapa pun, termasuk orang yang mengaku petugas.',
    terms6: 'Manfaat dibayar sesuai peraturan yang berlaku (PP 44/2015 dan perubahannya, PP 46/2015, PP 50/2025).',

    privacyTitle: 'Pemberitahuan privasi',
    privacyVersion: 'Versi 1, berlaku sejak 8 Desember 2026. Disusun menurut Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.',
    privacyWhoTitle: 'Siapa yang memproses data Anda',
    privacyWho: 'BPJS Ketenagakerjaan sebagai pengendali data pribadi, untuk menyelenggarakan program jaminan sosial ketenagakerjaan sesuai undang-undang.',
    privacyWhatTitle: 'Data apa yang kami kumpulkan',
    privacyWhat:
      'NIK, nama, tanggal lahir, jenis kelamin, alamat, nomor HP, email, pekerjaan, penghasilan yang Anda pilih, kantor cabang, riwayat pembayaran, dan untuk klaim: rekening bank, dokumen pendukung serta data ahli waris. NIK disimpan terenkripsi dan di layar hanya tampil 4 angka terakhir.',
    privacyWhyTitle: 'Untuk apa data dipakai',
    privacyWhy:
      'Mendaftarkan dan memastikan identitas Anda, menghitung dan menagih iuran, mengirim kode bayar dan pengingat lewat SMS dan email, menerbitkan kartu, membayar klaim, dan memenuhi kewajiban hukum. Data tidak dijual dan tidak dipakai untuk iklan.',
    privacyHowLongTitle: 'Berapa lama data disimpan',
    privacyHowLong:
      'Selama Anda menjadi peserta dan sesudahnya selama masa yang diwajibkan peraturan kearsipan dan keuangan. Pendaftaran yang tidak dilanjutkan dan kode OTP dihapus setelah masa berlakunya lewat.',
    privacyRightsTitle: 'Hak Anda',
    privacyRights:
      'Anda berhak mendapat informasi, melihat dan meminta salinan data, memperbaiki data yang salah (Akun saya › Data diri), menarik persetujuan, meminta penghapusan bila tidak lagi diwajibkan undang-undang, dan mengajukan keberatan.',
    privacyShareTitle: 'Kepada siapa data dibagikan',
    privacyShare: 'Hanya kepada pihak yang diperlukan: bank dan penyedia pembayaran untuk memproses iuran dan klaim, Dukcapil untuk mencocokkan NIK, dan instansi yang berwenang menurut hukum.',
    privacyContactTitle: 'Kontak',
    privacyContact: 'Pejabat pelindungan data BPJS Ketenagakerjaan: telepon 175, atau datang ke kantor cabang. Bila terjadi kegagalan pelindungan data, kami memberi tahu Anda paling lambat 3 x 24 jam.',

    branchesTitle: 'Kantor cabang BPJS Ketenagakerjaan',
    branchesIntro: 'Datangi kantor cabang untuk klaim JKM, klaim JHT di atas Rp15.000.000, atau bila Anda butuh bantuan langsung.',
    branchesSearch: 'Cari kota, provinsi atau nama kantor',
    branchesSearchHint: 'Contoh: Depok, Jawa Barat, Salemba',
    branchesFound: '{n} kantor cabang ditemukan.',
    branchesNone: 'Tidak ada kantor cabang yang cocok dengan “{q}”. Coba nama kota atau provinsi.',
    branchesAddress: 'Lokasi',
    branchesServicePoints: 'Layanan juga di',
    branchesCode: 'Kode kantor',

    consentRead: 'Baca dulu:',
    consentAnd: 'dan',
    newTab: '(tab baru)',
  },
  en: {
    footerLinks: 'Information',
    linkHelp: 'Help',
    linkTerms: 'Terms and conditions',
    linkPrivacy: 'Privacy notice',
    linkBranches: 'Branch offices',
    wayBackTitle: 'Where to now?',
    wayBackHome: 'Home',
    searchLabel: 'Search the help page',
    searchButton: 'Search',
    notFoundAsked: 'Address opened: {path}',
    errorNoData: 'Your data is safe: no payment is recorded twice. If you were paying, check the payment status in My account.',

    helpTitle: 'Help',
    helpIntro: 'Short answers to the questions self-employed workers ask most about BPJS Ketenagakerjaan for non-wage earners (BPU).',
    helpSearchResult: '{n} sections match “{q}”.',
    helpSearchNone: 'No section matches “{q}”. Try another word, such as “pay”, “late” or “claim”.',
    helpSearchAll: 'Show every section',
    helpWhoTitle: 'Who can join?',
    helpWho1: 'Non-wage earners (BPU): people who work for themselves without a salary from an employer, such as ride-hailing drivers, traders, farmers, fishers, tailors, freelancers and home workers.',
    helpWho2: 'You need to be an Indonesian citizen with a NIK (ID card), aged 15 to 65, with an active mobile number that receives SMS.',
    helpCostTitle: 'How much does it cost?',
    helpCost1: 'Two compulsory programmes: work accident (JKK) 1% of the income you choose, and death (JKM) Rp6.800 a month. The cheapest is Rp16.800 a month (income Rp1.000.000).',
    helpCost2: 'Old-age savings (JHT) can be added: 2% of the same income, from Rp20.000 a month. The JHT savings are yours.',
    helpCost3:
      'PP 50/2025 discount: JKK and JKM are 50% off for transport workers (January 2026 to March 2027) and other sectors (April to December 2026), so the cheapest is Rp8.400 a month. JHT is not discounted.',
    helpCost4: 'Work out your own contribution on the contribution calculator page.',
    helpPayTitle: 'How do I pay?',
    helpPay1: 'After registering you receive a 16-digit payment code by SMS and e-mail. The same code is on the payment page.',
    helpPay2: 'Pay with that code by bank virtual account, QRIS, e-wallet, minimarket or a partner counter. No need to visit an office.',
    helpPay3: 'Contributions are due every month by the 15th. You can also pay several months at once, or set up auto-debit.',
    helpPay4: 'Not finished paying for your registration? Open Sign in, type the phone number you registered, then the code from the SMS: you are back at your last registration step.',
    helpLateTitle: 'What if I pay late?',
    helpLate1: 'There is no fine. Up to 3 unpaid months may be paid later.',
    helpLate2: 'While in arrears, JKK and JKM cover only the months already paid. An accident in an unpaid month is not covered.',
    helpLate3: 'After more than 3 consecutive unpaid months the membership becomes inactive. To reactivate, pay from the current month on; old arrears are not charged and your KPJ stays.',
    helpClaimTitle: 'How do I claim JKK, JKM and JHT?',
    helpClaimJkk: 'JKK (work accident): report the accident as soon as possible in My account › Claims, or at a branch. Medical care is covered as needed with no cost cap; while you cannot work you receive a wage benefit.',
    helpClaimJkm: 'JKM (death): the heirs apply at a branch with the membership card, the heirs’ ID and family card, and the death certificate. The benefit is Rp42.000.000 when the death falls in a paid month.',
    helpClaimJht:
      'JHT: paid out in full at age 56, after stopping work (1 month ago), on leaving Indonesia for good, or on total permanent disability. Balances up to Rp15.000.000 can be claimed yourself in My account › Claims; above that at a branch.',
    helpClaimAccount: 'Claims are paid to a bank account in your own name. BPJS Ketenagakerjaan staff never ask for money or for your OTP code.',
    helpContactTitle: 'Still need help?',
    helpContact1: 'Call 175 (BPJS Ketenagakerjaan Care), or visit the nearest branch office.',

    termsTitle: 'Terms and conditions',
    termsVersion: 'Version 1, in force since 8 December 2026.',
    termsIntro: 'These terms apply when you use the Lindung portal to register, pay contributions, see your card and claim BPJS Ketenagakerjaan BPU benefits.',
    terms1: 'The data you enter must be true and your own. The NIK is checked against the population register; a registration with someone else’s data may be cancelled.',
    terms2: 'Membership starts once the first contribution is paid. JKK and JKM cover only paid months.',
    terms3: 'Contributions are due every month by the 15th. There is no fine; more than 3 unpaid months make the membership inactive.',
    terms4: 'A payment code is valid until the time on the payment page and in the SMS. Money paid with an expired code is refunded or kept in your contribution wallet.',
    terms5: 'Keep your OTP codes secret. Never give a code to anyone, including people who say they are staff.',
    terms6: 'Benefits are paid under the regulations in force (PP 44/2015 as amended, PP 46/2015, PP 50/2025).',

    privacyTitle: 'Privacy notice',
    privacyVersion: 'Version 1, in force since 8 December 2026. Written under Law No. 27 of 2022 on Personal Data Protection.',
    privacyWhoTitle: 'Who processes your data',
    privacyWho: 'BPJS Ketenagakerjaan, as the controller of your personal data, to run the employment social security programme the law assigns to it.',
    privacyWhatTitle: 'What data we collect',
    privacyWhat:
      'NIK, name, birth date, sex, address, mobile number, e-mail, occupation, the income you choose, branch office, payment history, and for claims: bank account, supporting documents and heirs’ data. The NIK is stored encrypted and pages show its last 4 digits only.',
    privacyWhyTitle: 'What the data is used for',
    privacyWhy:
      'Registering you and confirming who you are, pricing and billing contributions, sending payment codes and reminders by SMS and e-mail, issuing the card, paying claims, and meeting legal duties. Data is never sold or used for advertising.',
    privacyHowLongTitle: 'How long data is kept',
    privacyHowLong: 'While you are a member and afterwards for as long as archive and financial regulations require. Abandoned registrations and OTP codes are deleted once they expire.',
    privacyRightsTitle: 'Your rights',
    privacyRights:
      'You may be informed, see and get a copy of your data, correct wrong data (My account › Personal data), withdraw consent, ask for deletion where the law no longer requires keeping it, and object.',
    privacyShareTitle: 'Who data is shared with',
    privacyShare: 'Only those who need it: banks and payment providers to process contributions and claims, Dukcapil to match the NIK, and authorities entitled by law.',
    privacyContactTitle: 'Contact',
    privacyContact: 'BPJS Ketenagakerjaan’s data protection officer: call 175, or visit a branch office. If a data breach happens, we tell you within 3 × 24 hours.',

    branchesTitle: 'BPJS Ketenagakerjaan branch offices',
    branchesIntro: 'Visit a branch for JKM claims, JHT claims above Rp15.000.000, or when you need help in person.',
    branchesSearch: 'Search a city, province or office name',
    branchesSearchHint: 'For example: Depok, Jawa Barat, Salemba',
    branchesFound: '{n} branch offices found.',
    branchesNone: 'No branch office matches “{q}”. Try a city or province name.',
    branchesAddress: 'Location',
    branchesServicePoints: 'Also served at',
    branchesCode: 'Office code',

    consentRead: 'Read first:',
    consentAnd: 'and',
    newTab: '(new tab)',
  },
});
