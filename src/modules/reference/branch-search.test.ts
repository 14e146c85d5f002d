import { describe, expect, it } from 'vitest';
import { branchesNearAddress, searchBranches } from './branch-search.js';
import { BRANCHES } from './branches.js';

const codes = (bs: { code: string }[]) => bs.map((b) => b.code);

describe('searchBranches', () => {
  it.each([
    ['Depok', ['BOGOR', 'YOGYAKARTA']], // Kecamatan Depok in Sleman is served from Yogyakarta
    ['depok', ['BOGOR', 'YOGYAKARTA']],
    ['bandung', ['BDG-SUCI', 'BDG-SOEKARNO-HATTA']],
    ['Cibinong', ['BOGOR']],
    ['Soekarno', ['BDG-SOEKARNO-HATTA']],
    ['Sleman', ['YOGYAKARTA']],
    ['Mimika', ['TIMIKA']],
    ['atlantis', []],
    ['', []],
  ])('%s', (q, expected) => {
    expect(codes(searchBranches(BRANCHES, q))).toEqual(expected);
  });
});

describe('branchesNearAddress', () => {
  it('puts the branch serving the address first, then its province', () => {
    const near = codes(branchesNearAddress(BRANCHES, 'Jl. Margonda Raya No. 10, Beji, Depok'));
    expect(near[0]).toBe('BOGOR');
    expect(near).toContain('BEKASI');
    expect(near).not.toContain('BANDA-ACEH');
  });

  it('a province alone names its branches; an address naming nothing known suggests none', () => {
    expect(codes(branchesNearAddress(BRANCHES, 'Desa Sukamaju, Bali'))).toEqual(['DENPASAR']);
    expect(branchesNearAddress(BRANCHES, 'Jl. Mawar 3')).toEqual([]);
  });
});
