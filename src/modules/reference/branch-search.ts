import { BRANCH_AREAS } from './branch-areas.js';
import type { Branch } from './branches.js';

/** The words a branch is found by: its name, city, province and the areas it serves (BRANCH_AREAS). */
function placesOf(b: Branch): { local: string[]; province: string } {
  return { local: [b.city, b.name.replace(/^Kantor Cabang /, ''), ...(BRANCH_AREAS[b.code] ?? [])], province: b.province };
}

const fold = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ').trim();

/** Whether `text` names `place` as whole words ("Depok" in "Jl. Margonda 1, Depok", not "Depoksari"). */
function names(text: string, place: string): boolean {
  const p = fold(place);
  return p !== '' && ` ${text} `.includes(` ${p} `);
}

/**
 * The branches a search finds (issue 18 item 9): by city, office name, district or served area, or province; a
 * search for a served area ("Depok") finds the branch that serves it. Pure.
 */
export function searchBranches(branches: readonly Branch[], query: string): Branch[] {
  const q = fold(query);
  if (q === '') {
    return [];
  }
  return branches.filter((b) => {
    const { local, province } = placesOf(b);
    return [...local, province].some((place) => fold(place).includes(q) || names(q, place));
  });
}

/**
 * The branches nearest to a typed address: those whose city, name or served area the address names first, then
 * those of the province it names (none when it names neither). Pure.
 */
export function branchesNearAddress(branches: readonly Branch[], address: string): Branch[] {
  const text = fold(address);
  if (text === '') {
    return [];
  }
  const local = branches.filter((b) => placesOf(b).local.some((place) => names(text, place)));
  const provinces = new Set(local.map((b) => b.province));
  const inProvince = branches.filter((b) => !local.includes(b) && (provinces.has(b.province) || names(text, b.province)));
  return [...local, ...inProvince];
}
