/**
 * Which documents a claim needs (issue 15 item 4), by type, JHT reason and event kind. Pure: the caller passes the
 * claim's facts. Sources: domain-rules.md §4 (JHT reasons: "leaving Indonesia for good (passport + statement)"; JKK
 * stage-I report on forms 3/3a/3b within 2×24 hours; scholarship "with a report card or transcript and proof of
 * active enrolment"; NPWP above Rp50 jt or after an earlier partial claim) and ../shared/notes/claims-and-channels.md
 * (JMO: KTP, KK, proof of past work, a savings book in the member's own name; JKK forms KK1 → KK2 → the doctor's
 * KK3). The KPJ card JMO asks for is not listed: Lindung's card is digital and the claim already names the KPJ.
 */
import { catalogue, type Lang } from '../../../shared/i18n/catalogue.js';
import type { JhtReason } from './eligibility.js';

export const DOCUMENT_KINDS = [
  'ktp',
  'kk',
  'bank_book',
  'stop_work_letter',
  'passport',
  'leaving_statement',
  'housing_document',
  'npwp',
  'death_certificate',
  'heir_certificate',
  'heir_ktp',
  'accident_report',
  'doctor_statement',
  'medical_receipts',
  'school_proof',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export function isDocumentKind(s: string): s is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(s);
}

/** What each kind is called, Indonesian first (the catalogue convention of docs/architecture.md). */
export const DOCUMENT_KIND_LABELS = catalogue<DocumentKind>({
  id: {
    ktp: 'KTP elektronik peserta',
    kk: 'Kartu Keluarga (KK)',
    bank_book: 'Buku tabungan atas nama penerima',
    stop_work_letter: 'Surat keterangan berhenti bekerja (paklaring) atau surat pernyataan berhenti bekerja',
    passport: 'Paspor',
    leaving_statement: 'Surat pernyataan meninggalkan Indonesia untuk selamanya',
    housing_document: 'Dokumen pendukung kepemilikan rumah (mis. perjanjian KPR)',
    npwp: 'Kartu NPWP',
    death_certificate: 'Surat keterangan kematian atau akta kematian',
    heir_certificate: 'Surat keterangan ahli waris',
    heir_ktp: 'KTP ahli waris',
    accident_report: 'Laporan kecelakaan kerja tahap I (formulir 3 / KK1)',
    doctor_statement: 'Surat keterangan dokter (formulir 3b / KK3)',
    medical_receipts: 'Kuitansi biaya perawatan',
    school_proof: 'Rapor atau transkrip dan surat keterangan aktif sekolah anak',
  },
  en: {
    ktp: "Member's electronic identity card (e-KTP)",
    kk: 'Family card (Kartu Keluarga)',
    bank_book: "Savings book in the recipient's name",
    stop_work_letter: 'Letter of reference on leaving work (paklaring) or a statement of having stopped work',
    passport: 'Passport',
    leaving_statement: 'Statement of leaving Indonesia for good',
    housing_document: 'Proof of home ownership or purchase (e.g. a mortgage agreement)',
    npwp: 'Tax number card (NPWP)',
    death_certificate: 'Death certificate',
    heir_certificate: 'Certificate of heirship',
    heir_ktp: "Heir's identity card (KTP)",
    accident_report: 'Work accident report, stage I (form 3 / KK1)',
    doctor_statement: "Doctor's statement (form 3b / KK3)",
    medical_receipts: 'Receipts for treatment costs',
    school_proof: "Child's report card or transcript and proof of active enrolment",
  },
});

export function documentKindLabel(kind: DocumentKind, lang: Lang = 'id'): string {
  return DOCUMENT_KIND_LABELS[lang][kind];
}

/** The facts of a claim that decide its documents (as stored on the claim row). */
export interface ClaimDocumentFacts {
  readonly type: 'JHT' | 'JKK' | 'JKM';
  /** JHT only. */
  readonly reason?: JhtReason | null;
  /** JKK/JKM: the event's kind; a member's own JKK claim has none and is an accident. */
  readonly eventKind?: 'death' | 'accident' | 'disability' | null;
  /** Children named for the scholarship (JKM, JKK death or total disability). */
  readonly childCount?: number;
  /** JHT: the NPWP condition of §4.4 was met (balance above Rp50 jt or an earlier partial claim). */
  readonly npwpRequired?: boolean;
  /** JKK: the member paid treatment and asks for it back (treatment at a PLKK provider is paid directly). */
  readonly medicalCostClaimed?: boolean;
}

/** The member's identity and the account the money goes to: every claim. */
const BASE: readonly DocumentKind[] = ['ktp', 'kk', 'bank_book'];
/** A death: filed by an heir, who proves the death, the heirship and who they are. */
const DEATH: readonly DocumentKind[] = ['death_certificate', 'heir_certificate', 'heir_ktp'];

const JHT_BY_REASON: Record<JhtReason, readonly DocumentKind[]> = {
  age_56: [],
  stopped_working: ['stop_work_letter'],
  leaving_indonesia: ['passport', 'leaving_statement'],
  total_disability: ['doctor_statement'],
  death: DEATH,
  partial_10: [],
  partial_30: ['housing_document'],
};

function typeSpecific(f: ClaimDocumentFacts): readonly DocumentKind[] {
  if (f.type === 'JHT') {
    return [...(f.reason ? JHT_BY_REASON[f.reason] : []), ...(f.npwpRequired ? (['npwp'] as const) : [])];
  }
  if (f.type === 'JKM') {
    return DEATH;
  }
  const jkk: DocumentKind[] = ['accident_report', 'doctor_statement'];
  if (f.eventKind === 'death') jkk.push(...DEATH);
  if (f.medicalCostClaimed) jkk.push('medical_receipts');
  return jkk;
}

/** The documents this claim needs, in a stable order (the order of DOCUMENT_KINDS), each once. */
export function requiredDocuments(f: ClaimDocumentFacts): DocumentKind[] {
  const scholarship = (f.childCount ?? 0) > 0 && f.type !== 'JHT' ? (['school_proof'] as const) : [];
  const wanted = new Set<DocumentKind>([...BASE, ...typeSpecific(f), ...scholarship]);
  return DOCUMENT_KINDS.filter((k) => wanted.has(k));
}

/** The required kinds not among `uploaded` (any number of files of a kind count as that kind). */
export function missingDocuments(f: ClaimDocumentFacts, uploaded: readonly string[]): DocumentKind[] {
  const have = new Set(uploaded);
  return requiredDocuments(f).filter((k) => !have.has(k));
}
