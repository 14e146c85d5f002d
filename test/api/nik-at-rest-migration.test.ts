import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openPglite } from '../../src/db/connect.js';
import { migrations } from '../../migrations/index.js';
import { nikHashOf, openedNik } from '../support/nik.js';

/**
 * Migration 2026-12-07T1500 (the NIK at rest) over a database that still holds plain NIKs: each is hashed and sealed
 * (the development keys: NODE_ENV=test), the plain columns are gone, and the settlement's look-up by hash finds them.
 */
describe('migration 2026-12-07T1500-nik-at-rest', () => {
  it('fills nik_hash and nik_sealed for existing rows in batches and drops the plain NIK', async () => {
    const handle = await openPglite();
    try {
      const db = handle.db as unknown as Kysely<any>;
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('2026-12-07T1440-service-points');
      expect(before.error).toBeUndefined();
      const nik = (i: number) => `327501010190${String(i).padStart(4, '0')}`;
      const now = new Date('2026-12-01T00:00:00Z');
      const people = Array.from({ length: 1203 }, (_, i) => i); // more than two batches of 500
      await sql`insert into population_resident (nik, full_name, birth_date, gender, created_at)
        select '327501010190' || lpad(i::text, 4, '0'), 'Warga ' || i, '1990-01-01', 'M', ${now} from generate_series(0, 1202) i`.execute(db);
      await sql`insert into registration (id, nik, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code, status, email_token_hash, created_at, updated_at)
        select 'reg_' || i, '327501010190' || lpad(i::text, 4, '0'), 'Warga ' || i, '1990-01-01', 'M', '+6281200000000', 'w@contoh.id', 'Jl. Uji', 'PETANI', 'other', 'BEKASI', 'completed', 'x', ${now}, ${now}
          from generate_series(0, 1202) i`.execute(db);
      await sql`insert into participant (id, kpj, nik, full_name, birth_date, gender, phone, email, address, occupation_code, sector, branch_code, programs, declared_income, funding, registration_id, created_at, updated_at)
        select 'ptc_' || i, (90000000000 + i)::text, '327501010190' || lpad(i::text, 4, '0'), 'Warga ' || i, '1990-01-01', 'M', '+6281200000000', 'w@contoh.id', 'Jl. Uji', 'PETANI', 'other', 'BEKASI',
               array['JKK','JKM'], 1000000, 'self', 'reg_' || i, ${now}, ${now} from generate_series(0, 1202) i`.execute(db);
      await sql`insert into heir (id, participant_id, full_name, relationship, birth_date, nik, priority, created_at, updated_at)
        values ('heir_1', 'ptc_0', 'Siti', 'spouse', '1992-03-04', '3275014403920002', 1, ${now}, ${now}),
               ('heir_2', 'ptc_0', 'Rina', 'child', '2015-07-01', null, 2, ${now}, ${now})`.execute(db);
      await sql`insert into claim (id, participant_id, kpj, type, status, claimant, bank_account, channel, filed_by, submitted_at, updated_at)
        values ('clm_1', 'ptc_1', '90000000001', 'JKM', 'submitted', ${JSON.stringify({ nik: '3174011203850003', fullName: 'Siti', relationship: 'spouse', phone: '+6281234567890' })}::jsonb,
                '{}'::jsonb, 'staff', 'loket', ${now}, ${now})`.execute(db);

      await migrateToLatest(handle.db);

      const cols = await sql<{ table_name: string }>`select table_name from information_schema.columns where column_name = 'nik' and table_schema = current_schema()`.execute(db);
      expect(cols.rows).toEqual([]);
      const ps = await sql<{ id: string; nik_hash: string; nik_sealed: string }>`select id, nik_hash, nik_sealed from participant order by id`.execute(db);
      expect(ps.rows).toHaveLength(people.length);
      for (const p of ps.rows) {
        const i = Number(p.id.slice('ptc_'.length));
        expect(openedNik(p.nik_sealed)).toBe(nik(i));
        expect(p.nik_hash).toBe(nikHashOf(nik(i)));
      }
      const regs = await sql<{ n: number }>`select count(*)::int as n from registration r join participant p on p.nik_hash = r.nik_hash and p.registration_id = r.id`.execute(db);
      expect(regs.rows[0]?.n).toBe(people.length);
      const residents = await sql<{ n: number }>`select count(*)::int as n from population_resident where nik_hash = ${nikHashOf(nik(1202))}`.execute(db);
      expect(residents.rows[0]?.n).toBe(1);
      const heirs = await sql<{ id: string; nik_hash: string | null; nik_sealed: string | null }>`select id, nik_hash, nik_sealed from heir order by id`.execute(db);
      expect(heirs.rows.map((h) => [h.id, h.nik_hash, h.nik_sealed === null ? null : openedNik(h.nik_sealed)])).toEqual([
        ['heir_1', nikHashOf('3275014403920002'), '3275014403920002'],
        ['heir_2', null, null],
      ]);
      const claim = await sql<{ c: Record<string, string> | string }>`select claimant as c from claim where id = 'clm_1'`.execute(db);
      const c = claim.rows[0]?.c;
      const claimant = (typeof c === 'string' ? JSON.parse(c) : c) as Record<string, string>;
      expect(claimant).not.toHaveProperty('nik');
      expect(claimant).toMatchObject({ fullName: 'Siti', nikHash: nikHashOf('3174011203850003') });
      expect(openedNik(claimant['nikSealed'] ?? '')).toBe('3174011203850003');
      // The unique constraint moved to the hash.
      await expect(sql`update participant set nik_hash = ${nikHashOf(nik(0))} where id = 'ptc_1'`.execute(db)).rejects.toThrow();
    } finally {
      await handle.close();
    }
  });
});
