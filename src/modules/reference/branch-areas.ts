/**
 * The areas a branch office serves besides its own city (reference data, like BRANCHES: the cities, regencies and
 * districts whose people go to that office). A search or an address naming one of these finds the branch that
 * serves it — "Depok" finds Kantor Cabang Bogor, which serves Kota Depok and Kabupaten Bogor.
 */
export const BRANCH_AREAS: Readonly<Record<string, readonly string[]>> = {
  'JKT-SALEMBA': ['Menteng', 'Senen', 'Cempaka Putih', 'Tanah Abang', 'Gambir', 'Kemayoran', 'Sawah Besar', 'Johar Baru'],
  'JKT-MENARA-JAMSOSTEK': ['Setiabudi', 'Kuningan', 'Tebet', 'Mampang Prapatan', 'Pancoran', 'Kebayoran Baru'],
  'JKT-CILANDAK': ['Cilandak', 'Pasar Minggu', 'Jagakarsa', 'Pesanggrahan', 'Kebayoran Lama'],
  'JKT-KELAPA-GADING': ['Kelapa Gading', 'Tanjung Priok', 'Koja', 'Cilincing', 'Penjaringan', 'Pademangan', 'Kepulauan Seribu'],
  'JKT-CENGKARENG': ['Cengkareng', 'Kalideres', 'Kebon Jeruk', 'Grogol', 'Tambora', 'Taman Sari', 'Kembangan', 'Palmerah'],
  'JKT-RAWAMANGUN': ['Rawamangun', 'Pulo Gadung', 'Jatinegara', 'Duren Sawit', 'Cakung', 'Kramat Jati', 'Makasar', 'Pasar Rebo', 'Cipayung', 'Ciracas', 'Matraman'],
  'BDG-SUCI': ['Cimahi', 'Bandung Barat', 'Lembang', 'Coblong', 'Cibeunying'],
  'BDG-SOEKARNO-HATTA': ['Kabupaten Bandung', 'Soreang', 'Dayeuhkolot', 'Buahbatu', 'Rancasari', 'Sumedang', 'Jatinangor'],
  BEKASI: ['Cikarang', 'Tambun', 'Bantargebang', 'Karawang', 'Purwakarta'],
  BOGOR: ['Depok', 'Cibinong', 'Citeureup', 'Cileungsi', 'Cimanggis', 'Sawangan', 'Beji', 'Pancoran Mas', 'Sukmajaya', 'Cilodong', 'Tapos', 'Bojonggede', 'Sukabumi', 'Cianjur'],
  CIREBON: ['Indramayu', 'Kuningan Jawa Barat', 'Majalengka'],
  'TGR-BATUCEPER': ['Tangerang Selatan', 'Serpong', 'Ciputat', 'Pamulang', 'Pondok Aren', 'Ciledug', 'Karawaci', 'Cipondoh', 'Tigaraksa'],
  SERANG: ['Cilegon', 'Pandeglang', 'Lebak', 'Rangkasbitung'],
  'SMG-MAJAPAHIT': ['Kendal', 'Demak', 'Ungaran', 'Salatiga', 'Kudus'],
  SURAKARTA: ['Solo', 'Sukoharjo', 'Karanganyar', 'Boyolali', 'Klaten', 'Sragen', 'Wonogiri'],
  PURWOKERTO: ['Banyumas', 'Cilacap', 'Purbalingga', 'Banjarnegara'],
  YOGYAKARTA: ['Sleman', 'Bantul', 'Kulon Progo', 'Gunungkidul', 'Depok Sleman'],
  'SBY-RUNGKUT': ['Sidoarjo', 'Rungkut', 'Gresik'],
  'SBY-DARMO': ['Darmo', 'Wonokromo', 'Tegalsari', 'Bangkalan'],
  MALANG: ['Batu', 'Kepanjen', 'Pasuruan'],
  JEMBER: ['Banyuwangi', 'Lumajang', 'Bondowoso'],
  DENPASAR: ['Badung', 'Gianyar', 'Tabanan', 'Kuta'],
  'MEDAN-KOTA': ['Deli Serdang', 'Binjai', 'Lubuk Pakam'],
  MAKASSAR: ['Gowa', 'Maros', 'Sungguminasa'],
  TIMIKA: ['Mimika'],
};
