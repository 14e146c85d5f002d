import { describe, expect, it } from 'vitest';
import { DOCUMENT_KIND_LABELS, DOCUMENT_KINDS, documentKindLabel, isDocumentKind, missingDocuments, requiredDocuments, type ClaimDocumentFacts, type DocumentKind } from './required-documents.js';

const BASE: DocumentKind[] = ['ktp', 'kk', 'bank_book'];

describe('requiredDocuments: per type, JHT reason and event kind (domain-rules.md §4, the JMO flow)', () => {
  const cases: { name: string; facts: ClaimDocumentFacts; expected: DocumentKind[] }[] = [
    { name: 'JHT age 56: KTP, KK, savings book', facts: { type: 'JHT', reason: 'age_56' }, expected: BASE },
    { name: 'JHT stopped working: + paklaring / statement', facts: { type: 'JHT', reason: 'stopped_working' }, expected: [...BASE, 'stop_work_letter'] },
    { name: 'JHT leaving Indonesia: + passport and statement', facts: { type: 'JHT', reason: 'leaving_indonesia' }, expected: [...BASE, 'passport', 'leaving_statement'] },
    { name: "JHT total disability: + doctor's statement", facts: { type: 'JHT', reason: 'total_disability' }, expected: [...BASE, 'doctor_statement'] },
    { name: 'JHT death (heirs): + death, heirship, heir KTP', facts: { type: 'JHT', reason: 'death' }, expected: [...BASE, 'death_certificate', 'heir_certificate', 'heir_ktp'] },
    { name: 'JHT 10%: the base only', facts: { type: 'JHT', reason: 'partial_10' }, expected: BASE },
    { name: 'JHT 30% (housing): + housing document', facts: { type: 'JHT', reason: 'partial_30' }, expected: [...BASE, 'housing_document'] },
    { name: 'JHT above Rp50 jt: + NPWP', facts: { type: 'JHT', reason: 'age_56', npwpRequired: true }, expected: [...BASE, 'npwp'] },
    { name: 'JHT: children never add school proof', facts: { type: 'JHT', reason: 'age_56', childCount: 2 }, expected: BASE },
    { name: "JKK member's own claim (no kind): report (form 3) + doctor", facts: { type: 'JKK' }, expected: [...BASE, 'accident_report', 'doctor_statement'] },
    { name: 'JKK accident, treatment paid by the member: + receipts', facts: { type: 'JKK', eventKind: 'accident', medicalCostClaimed: true }, expected: [...BASE, 'accident_report', 'doctor_statement', 'medical_receipts'] },
    {
      name: 'JKK death with 2 children: report, doctor, death, heirs, school proof',
      facts: { type: 'JKK', eventKind: 'death', childCount: 2 },
      expected: [...BASE, 'death_certificate', 'heir_certificate', 'heir_ktp', 'accident_report', 'doctor_statement', 'school_proof'],
    },
    { name: 'JKM: death, heirship, heir KTP', facts: { type: 'JKM', eventKind: 'death' }, expected: [...BASE, 'death_certificate', 'heir_certificate', 'heir_ktp'] },
    { name: 'JKM with a child: + school proof', facts: { type: 'JKM', childCount: 1 }, expected: [...BASE, 'death_certificate', 'heir_certificate', 'heir_ktp', 'school_proof'] },
  ];
  it.each(cases)('$name', ({ facts, expected }) => {
    expect(requiredDocuments(facts)).toEqual(expected);
  });
});

describe('missingDocuments', () => {
  const jkm: ClaimDocumentFacts = { type: 'JKM', eventKind: 'death' };
  it.each([
    { uploaded: [], missing: ['ktp', 'kk', 'bank_book', 'death_certificate', 'heir_certificate', 'heir_ktp'] },
    { uploaded: ['ktp', 'ktp', 'kk'], missing: ['bank_book', 'death_certificate', 'heir_certificate', 'heir_ktp'] },
    { uploaded: ['ktp', 'kk', 'bank_book', 'death_certificate', 'heir_certificate', 'heir_ktp', 'passport'], missing: [] },
    { uploaded: ['nonsense', 'heir_ktp'], missing: ['ktp', 'kk', 'bank_book', 'death_certificate', 'heir_certificate'] },
  ])('uploaded $uploaded → missing $missing', ({ uploaded, missing }) => {
    expect(missingDocuments(jkm, uploaded)).toEqual(missing);
  });
});

describe('kinds and labels', () => {
  it('every kind has an Indonesian and an English label; unknown kinds are not kinds', () => {
    for (const k of DOCUMENT_KINDS) {
      expect(DOCUMENT_KIND_LABELS.id[k].length).toBeGreaterThan(2);
      expect(DOCUMENT_KIND_LABELS.en[k].length).toBeGreaterThan(2);
    }
    expect(documentKindLabel('stop_work_letter')).toMatch(/paklaring/);
    expect(documentKindLabel('accident_report', 'en')).toMatch(/form 3/);
    expect(isDocumentKind('ktp')).toBe(true);
    expect(isDocumentKind('selfie')).toBe(false);
  });
});
