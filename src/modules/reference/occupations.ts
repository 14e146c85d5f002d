import { lookupByCode } from './code-table.js';
/**
 * Occupations a BPU participant can choose (domain-rules.md §5.4). No public BPJS BPU occupation list exists, so
 * this follows the Dukcapil KTP occupation taxonomy and the seed articles [I5][S0]. The `sector` flag drives the
 * PP 50/2025 discount period: PP 50/2025 names ojek online, ojek pangkalan, drivers, couriers and logistics
 * workers (platform-based or conventional) as the transport sector. ❓ How BPJS itself maps jobs to that sector
 * is unpublished; borderline choices are commented.
 *
 * Codes are stable identifiers stored with participants: never rename or reuse one; add new codes instead.
 */
export interface Occupation {
  code: string;
  /** Indonesian. */
  name: string;
  nameEn: string;
  /** The rule book's Sector (contributions/domain/rule-book.ts); spelled out so reference data depends on no module. */
  sector: 'transport' | 'other';
}

function occ(code: string, name: string, nameEn: string, sector: Occupation['sector']): Occupation {
  return { code, name, nameEn, sector };
}

export const OCCUPATIONS: readonly Occupation[] = [
  // Transport sector (PP 50/2025: ojol, ojek pangkalan, sopir, kurir, logistik).
  occ('OJOL', 'Pengemudi Ojek Online', 'Ride-hailing motorcycle driver', 'transport'),
  occ('OJEK_PANGKALAN', 'Pengemudi Ojek Pangkalan', 'Conventional motorcycle taxi driver', 'transport'),
  occ('TAKSI_ONLINE', 'Pengemudi Taksi Online', 'Ride-hailing car driver', 'transport'),
  occ('SOPIR_TAKSI', 'Sopir Taksi', 'Taxi driver', 'transport'),
  occ('SOPIR_ANGKOT', 'Sopir Angkutan Kota', 'Minibus (angkot) driver', 'transport'),
  occ('SOPIR_BUS', 'Sopir Bus', 'Bus driver', 'transport'),
  occ('SOPIR_TRUK', 'Sopir Truk', 'Truck driver', 'transport'),
  occ('SOPIR_PRIBADI', 'Sopir Pribadi', 'Private chauffeur', 'transport'),
  occ('SOPIR_TRAVEL', 'Sopir Travel / Rental', 'Shuttle or rental car driver', 'transport'),
  occ('KERNET', 'Kernet / Kondektur', 'Bus or truck conductor', 'transport'),
  occ('PENGEMUDI_BAJAJ', 'Pengemudi Bajaj / Bemo', 'Auto-rickshaw driver', 'transport'),
  occ('PENGEMUDI_BECAK', 'Pengemudi Becak / Bentor', 'Pedicab or motorised pedicab driver', 'transport'),
  occ('KUSIR_DELMAN', 'Kusir Delman / Andong', 'Horse-cart driver', 'transport'),
  occ('MOTORIS_PERAHU', 'Motoris Perahu Penyeberangan', 'Ferry boat operator', 'transport'),
  occ('KURIR', 'Kurir / Pengantar Paket', 'Courier / parcel delivery', 'transport'),
  occ('KURIR_MAKANAN', 'Pengantar Makanan Online', 'Food delivery rider', 'transport'),
  occ('LOGISTIK', 'Pekerja Logistik / Ekspedisi', 'Logistics / freight forwarding worker', 'transport'),
  // ❓ Loading/unloading is counted as logistics; BPJS may classify it differently.
  occ('BURUH_BONGKAR_MUAT', 'Tenaga Kerja Bongkar Muat', 'Loading and unloading worker', 'transport'),

  // Every other sector.
  occ('PEDAGANG_PASAR', 'Pedagang Pasar', 'Market trader', 'other'),
  occ('PEDAGANG_KAKI_LIMA', 'Pedagang Kaki Lima', 'Street vendor', 'other'),
  occ('PEDAGANG_KELILING', 'Pedagang Keliling', 'Itinerant vendor', 'other'),
  occ('PEDAGANG_ONLINE', 'Penjual Online', 'Online seller', 'other'),
  occ('PEMILIK_WARUNG', 'Pemilik Warung', 'Small shop owner', 'other'),
  occ('PEDAGANG_MAKANAN', 'Pedagang Makanan / Kuliner', 'Food vendor', 'other'),
  occ('PETANI', 'Petani / Pekebun', 'Farmer / smallholder', 'other'),
  occ('BURUH_TANI', 'Buruh Tani / Perkebunan', 'Farm labourer', 'other'),
  occ('PETERNAK', 'Peternak', 'Livestock farmer', 'other'),
  occ('NELAYAN', 'Nelayan / Perikanan', 'Fisher', 'other'),
  occ('PEMBUDIDAYA_IKAN', 'Pembudi Daya Ikan', 'Fish farmer', 'other'),
  occ('BURUH_HARIAN_LEPAS', 'Buruh Harian Lepas', 'Casual day labourer', 'other'),
  occ('TUKANG_BANGUNAN', 'Tukang Batu / Bangunan', 'Construction worker / mason', 'other'),
  occ('TUKANG_KAYU', 'Tukang Kayu', 'Carpenter', 'other'),
  occ('TUKANG_LISTRIK', 'Tukang Listrik', 'Electrician', 'other'),
  occ('TUKANG_LAS', 'Tukang Las / Pandai Besi', 'Welder / blacksmith', 'other'),
  occ('MONTIR', 'Montir / Mekanik Bengkel', 'Mechanic', 'other'),
  occ('PENJAHIT', 'Penjahit', 'Tailor', 'other'),
  occ('TUKANG_CUKUR', 'Tukang Cukur', 'Barber', 'other'),
  occ('PENATA_RIAS', 'Penata Rias / Rambut', 'Make-up artist / hairdresser', 'other'),
  occ('ASISTEN_RUMAH_TANGGA', 'Asisten Rumah Tangga', 'Domestic worker', 'other'),
  occ('PENGASUH', 'Pengasuh Anak / Lansia', 'Child or elderly carer', 'other'),
  occ('TUKANG_PIJAT', 'Tukang Pijat / Terapis', 'Masseur / therapist', 'other'),
  occ('JURU_PARKIR', 'Juru Parkir', 'Parking attendant', 'other'),
  occ('PETUGAS_KEBERSIHAN', 'Petugas Kebersihan Lepas', 'Freelance cleaner', 'other'),
  occ('PEMULUNG', 'Pemulung', 'Waste picker', 'other'),
  occ('PERAJIN', 'Perajin / Pengrajin', 'Craftsperson', 'other'),
  occ('DESAINER_GRAFIS', 'Desainer Grafis Lepas', 'Freelance graphic designer', 'other'),
  occ('PEKERJA_TI', 'Pekerja Teknologi Informasi', 'Information technology worker', 'other'),
  occ('PENULIS_SENIMAN', 'Penulis / Seniman', 'Writer / artist', 'other'),
  occ('KREATOR_KONTEN', 'Kreator Konten', 'Content creator', 'other'),
  occ('FOTOGRAFER', 'Fotografer / Videografer', 'Photographer / videographer', 'other'),
  occ('MUSISI', 'Musisi / Pekerja Seni Pertunjukan', 'Musician / performer', 'other'),
  occ('PENERJEMAH', 'Penerjemah', 'Translator', 'other'),
  occ('GURU_LES', 'Guru Les / Tutor Privat', 'Private tutor', 'other'),
  occ('GURU_NGAJI', 'Guru Ngaji / Pengajar Keagamaan', 'Religious teacher', 'other'),
  occ('MARBOT', 'Marbot / Pengurus Rumah Ibadah', 'Place-of-worship caretaker', 'other'),
  occ('PEMANDU_WISATA', 'Pemandu Wisata', 'Tour guide', 'other'),
  occ('KADER_POSYANDU', 'Kader Posyandu', 'Community health volunteer', 'other'),
  occ('PENGURUS_RT_RW', 'Pengurus RT / RW', 'Neighbourhood association officer', 'other'),
  occ('PERANGKAT_DESA', 'Perangkat Desa', 'Village official', 'other'),
  occ('PEKERJA_LEPAS', 'Pekerja Lepas (Freelancer) Lainnya', 'Other freelancer', 'other'),
  occ('LAINNYA', 'Lainnya', 'Other', 'other'),
];

export const findOccupation: (code: string) => Occupation | undefined = lookupByCode(OCCUPATIONS);
