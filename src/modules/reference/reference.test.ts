import { describe, expect, it } from 'vitest';
import { BRANCHES, findBranch } from './branches.js';
import { findOccupation, OCCUPATIONS } from './occupations.js';
import { findProvince, PROVINCES } from './provinces.js';

const CODE = /^[A-Z0-9]+(?:[_-][A-Z0-9]+)*$/;

describe('occupations', () => {
  it('has at least 40 entries with unique, readable upper-case codes', () => {
    expect(OCCUPATIONS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(OCCUPATIONS.map((o) => o.code)).size).toBe(OCCUPATIONS.length);
    for (const o of OCCUPATIONS) {
      expect(o.code).toMatch(CODE);
      expect(o.name.length).toBeGreaterThan(0);
      expect(o.nameEn.length).toBeGreaterThan(0);
      expect(['transport', 'other']).toContain(o.sector);
    }
  });

  it.each([
    ['OJOL', 'transport'],
    ['OJEK_PANGKALAN', 'transport'],
    ['TAKSI_ONLINE', 'transport'],
    ['SOPIR_ANGKOT', 'transport'],
    ['SOPIR_TRUK', 'transport'],
    ['KURIR', 'transport'],
    ['LOGISTIK', 'transport'],
    ['PEDAGANG_PASAR', 'other'],
    ['PETANI', 'other'],
    ['NELAYAN', 'other'],
    ['BURUH_HARIAN_LEPAS', 'other'],
    ['PENJAHIT', 'other'],
    ['DESAINER_GRAFIS', 'other'],
    ['PEKERJA_TI', 'other'],
    ['PENULIS_SENIMAN', 'other'],
    ['TUKANG_BANGUNAN', 'other'],
    ['ASISTEN_RUMAH_TANGGA', 'other'],
  ])('%s is %s', (code, sector) => {
    expect(findOccupation(code)?.sector).toBe(sector);
  });

  it('both sectors are represented', () => {
    expect(OCCUPATIONS.filter((o) => o.sector === 'transport').length).toBeGreaterThanOrEqual(10);
    expect(OCCUPATIONS.filter((o) => o.sector === 'other').length).toBeGreaterThanOrEqual(20);
  });

  it('unknown code → undefined', () => {
    expect(findOccupation('NOPE')).toBeUndefined();
    expect(findOccupation('ojol')).toBeUndefined();
  });
});

describe('branches', () => {
  it('has at least 30 entries with unique codes in at least 15 provinces', () => {
    expect(BRANCHES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BRANCHES.map((b) => b.code)).size).toBe(BRANCHES.length);
    expect(new Set(BRANCHES.map((b) => b.province)).size).toBeGreaterThanOrEqual(15);
    for (const b of BRANCHES) {
      expect(b.code).toMatch(CODE);
      expect(b.name).toMatch(/^Kantor Cabang /);
      expect(b.city.length).toBeGreaterThan(0);
    }
  });

  it('every branch province is a known province', () => {
    const names = new Set(PROVINCES.map((p) => p.name));
    for (const b of BRANCHES) {
      expect(names.has(b.province)).toBe(true);
    }
  });

  it.each([
    ['JKT-SALEMBA', 'Jakarta Pusat'],
    ['BDG-SUCI', 'Bandung'],
    ['SBY-RUNGKUT', 'Surabaya'],
    ['MEDAN-KOTA', 'Medan'],
    ['JAYAPURA', 'Jayapura'],
  ])('findBranch(%s) is in %s', (code, city) => {
    expect(findBranch(code)?.city).toBe(city);
  });

  it('unknown code → undefined', () => {
    expect(findBranch('NOPE')).toBeUndefined();
  });
});

describe('provinces', () => {
  it('has the 38 provinces with unique two-digit codes from 11 to 96', () => {
    expect(PROVINCES).toHaveLength(38);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(38);
    for (const p of PROVINCES) {
      expect(p.code).toMatch(/^\d{2}$/);
      expect(Number(p.code)).toBeGreaterThanOrEqual(11);
      expect(Number(p.code)).toBeLessThanOrEqual(96);
    }
  });

  it.each([
    ['31', 'DKI Jakarta'],
    ['96', 'Papua Barat Daya'],
    ['65', 'Kalimantan Utara'],
  ])('%s → %s', (code, name) => {
    expect(findProvince(code)?.name).toBe(name);
  });
});
