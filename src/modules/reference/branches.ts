import { lookupByCode } from './code-table.js';
/**
 * BPJS Ketenagakerjaan branch offices (Kantor Cabang) a participant chooses at registration; the branch handles
 * manual claims (domain-rules.md §5.1). ⚠️ A seed list: the cities are real branch locations, the exact office
 * names should be checked against the official branch directory before go-live (the number of branches was not
 * found in the sources, §9 item 9). Province names match reference/provinces.ts.
 *
 * Codes are stable identifiers stored with participants: never rename or reuse one.
 */
export interface Branch {
  code: string;
  name: string;
  city: string;
  province: string;
  /** The office's street address (≤ 200 characters), admin-maintained; absent/null while not recorded (never invented). */
  address?: string | null;
  /** The office's phone, admin-maintained; absent/null while not recorded. */
  phone?: string | null;
}

function branch(code: string, office: string, city: string, province: string): Branch {
  return { code, name: `Kantor Cabang ${office}`, city, province };
}

export const BRANCHES: readonly Branch[] = [
  branch('JKT-SALEMBA', 'Jakarta Salemba', 'Jakarta Pusat', 'DKI Jakarta'),
  branch('JKT-MENARA-JAMSOSTEK', 'Jakarta Menara Jamsostek', 'Jakarta Selatan', 'DKI Jakarta'),
  branch('JKT-CILANDAK', 'Jakarta Cilandak', 'Jakarta Selatan', 'DKI Jakarta'),
  branch('JKT-KELAPA-GADING', 'Jakarta Kelapa Gading', 'Jakarta Utara', 'DKI Jakarta'),
  branch('JKT-CENGKARENG', 'Jakarta Cengkareng', 'Jakarta Barat', 'DKI Jakarta'),
  branch('JKT-RAWAMANGUN', 'Jakarta Rawamangun', 'Jakarta Timur', 'DKI Jakarta'),
  branch('BDG-SUCI', 'Bandung Suci', 'Bandung', 'Jawa Barat'),
  branch('BDG-SOEKARNO-HATTA', 'Bandung Soekarno Hatta', 'Bandung', 'Jawa Barat'),
  branch('BEKASI', 'Bekasi', 'Bekasi', 'Jawa Barat'),
  branch('BOGOR', 'Bogor', 'Bogor', 'Jawa Barat'),
  branch('CIREBON', 'Cirebon', 'Cirebon', 'Jawa Barat'),
  branch('TGR-BATUCEPER', 'Tangerang Batuceper', 'Tangerang', 'Banten'),
  branch('SERANG', 'Serang', 'Serang', 'Banten'),
  branch('SMG-MAJAPAHIT', 'Semarang Majapahit', 'Semarang', 'Jawa Tengah'),
  branch('SURAKARTA', 'Surakarta', 'Surakarta', 'Jawa Tengah'),
  branch('PURWOKERTO', 'Purwokerto', 'Purwokerto', 'Jawa Tengah'),
  branch('YOGYAKARTA', 'Yogyakarta', 'Yogyakarta', 'DI Yogyakarta'),
  branch('SBY-RUNGKUT', 'Surabaya Rungkut', 'Surabaya', 'Jawa Timur'),
  branch('SBY-DARMO', 'Surabaya Darmo', 'Surabaya', 'Jawa Timur'),
  branch('MALANG', 'Malang', 'Malang', 'Jawa Timur'),
  branch('JEMBER', 'Jember', 'Jember', 'Jawa Timur'),
  branch('DENPASAR', 'Denpasar', 'Denpasar', 'Bali'),
  branch('MATARAM', 'Mataram', 'Mataram', 'Nusa Tenggara Barat'),
  branch('KUPANG', 'Kupang', 'Kupang', 'Nusa Tenggara Timur'),
  branch('BANDA-ACEH', 'Banda Aceh', 'Banda Aceh', 'Aceh'),
  branch('MEDAN-KOTA', 'Medan Kota', 'Medan', 'Sumatera Utara'),
  branch('PADANG', 'Padang', 'Padang', 'Sumatera Barat'),
  branch('PEKANBARU', 'Pekanbaru Kota', 'Pekanbaru', 'Riau'),
  branch('BATAM-NAGOYA', 'Batam Nagoya', 'Batam', 'Kepulauan Riau'),
  branch('JAMBI', 'Jambi', 'Jambi', 'Jambi'),
  branch('PALEMBANG', 'Palembang', 'Palembang', 'Sumatera Selatan'),
  branch('BENGKULU', 'Bengkulu', 'Bengkulu', 'Bengkulu'),
  branch('BANDAR-LAMPUNG', 'Bandar Lampung', 'Bandar Lampung', 'Lampung'),
  branch('PANGKALPINANG', 'Pangkalpinang', 'Pangkalpinang', 'Kepulauan Bangka Belitung'),
  branch('PONTIANAK', 'Pontianak', 'Pontianak', 'Kalimantan Barat'),
  branch('PALANGKA-RAYA', 'Palangka Raya', 'Palangka Raya', 'Kalimantan Tengah'),
  branch('BANJARMASIN', 'Banjarmasin', 'Banjarmasin', 'Kalimantan Selatan'),
  branch('BALIKPAPAN', 'Balikpapan', 'Balikpapan', 'Kalimantan Timur'),
  branch('SAMARINDA', 'Samarinda', 'Samarinda', 'Kalimantan Timur'),
  branch('TARAKAN', 'Tarakan', 'Tarakan', 'Kalimantan Utara'),
  branch('MANADO', 'Manado', 'Manado', 'Sulawesi Utara'),
  branch('GORONTALO', 'Gorontalo', 'Gorontalo', 'Gorontalo'),
  branch('PALU', 'Palu', 'Palu', 'Sulawesi Tengah'),
  branch('MAKASSAR', 'Makassar', 'Makassar', 'Sulawesi Selatan'),
  branch('KENDARI', 'Kendari', 'Kendari', 'Sulawesi Tenggara'),
  branch('MAMUJU', 'Mamuju', 'Mamuju', 'Sulawesi Barat'),
  branch('AMBON', 'Ambon', 'Ambon', 'Maluku'),
  branch('TERNATE', 'Ternate', 'Ternate', 'Maluku Utara'),
  branch('JAYAPURA', 'Jayapura', 'Jayapura', 'Papua'),
  branch('MANOKWARI', 'Manokwari', 'Manokwari', 'Papua Barat'),
  branch('SORONG', 'Sorong', 'Sorong', 'Papua Barat Daya'),
  branch('TIMIKA', 'Timika', 'Mimika', 'Papua Tengah'),
  branch('MERAUKE', 'Merauke', 'Merauke', 'Papua Selatan'),
];

export const findBranch: (code: string) => Branch | undefined = lookupByCode(BRANCHES);
