import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { nikHash, type NikKeys, openNik, sealedKeyId, sealNik } from './domain/nik-vault.js';

/**
 * Key rotation of the NIK at rest (docs/security.md, `npm run nik:reseal`): walks every stored NIK in primary-key order,
 * BATCH rows at a time, and re-seals each one not sealed under the current key (the first of NIK_KEYS). With
 * `nextHashKey` (NIK_HASH_KEY_NEXT) it also recomputes every nik_hash from the opened NIK under that key — run with the
 * server stopped, then start it with NIK_HASH_KEY set to that key (a server still hashing with the old key would not
 * find anyone). population_resident (the development registry) holds no sealed NIK: a hash rotation leaves it to be
 * fed again. Returns how many rows of each table were rewritten; a second run with the same keys rewrites none.
 */
export type ResealCounts = Record<'participant' | 'registration' | 'heir' | 'claim', number>;

interface Walk {
  table: 'participant' | 'registration' | 'heir' | 'claim';
  key: string[];
  /** The sealed NIK as an expression of the row. */
  sealed: string;
}

const WALKS: Walk[] = [
  { table: 'participant', key: ['id'], sealed: 'nik_sealed' },
  { table: 'registration', key: ['id'], sealed: 'nik_sealed' },
  { table: 'heir', key: ['participant_id', 'id'], sealed: 'nik_sealed' },
  { table: 'claim', key: ['id'], sealed: "claimant ->> 'nikSealed'" },
];

export async function resealNiks(db: Kysely<Database>, keys: NikKeys, options: { batch?: number; nextHashKey?: Buffer } = {}): Promise<ResealCounts> {
  const counts: ResealCounts = { participant: 0, registration: 0, heir: 0, claim: 0 };
  for (const walk of WALKS) {
    counts[walk.table] = await resealTable(db, walk, keys, options.batch ?? 500, options.nextHashKey);
  }
  return counts;
}

async function resealTable(db: Kysely<Database>, walk: Walk, keys: NikKeys, batch: number, nextHashKey: Buffer | undefined): Promise<number> {
  const current = keys.seal[0]?.id;
  const keyCols = sql.join(walk.key.map((k) => sql.ref(k)));
  let after: string[] | null = null;
  let rewritten = 0;
  for (;;) {
    const from: ReturnType<typeof sql> = after === null ? sql`true` : sql`(${keyCols}) > (${sql.join(after)})`;
    const rows = (
      await sql<Record<string, string>>`select ${keyCols}, ${sql.raw(walk.sealed)} as sealed from ${sql.table(walk.table)}
        where ${sql.raw(walk.sealed)} is not null and ${from} order by ${keyCols} limit ${batch}`.execute(db)
    ).rows;
    const last = rows.at(-1);
    if (!last) {
      return rewritten;
    }
    after = walk.key.map((k) => last[k] ?? '');
    for (const row of rows) {
      const sealed = row['sealed'] ?? '';
      if (sealedKeyId(sealed) === current && !nextHashKey) {
        continue;
      }
      const nik = openNik(sealed, keys);
      const fresh = { sealed: sealNik(nik, keys), hash: nikHash(nik, nextHashKey ? { hash: nextHashKey } : keys) };
      const match = sql.join(
        walk.key.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
        sql` and `,
      );
      const set =
        walk.table === 'claim'
          ? sql`claimant = claimant || ${JSON.stringify({ nikSealed: fresh.sealed, nikHash: fresh.hash })}::jsonb`
          : sql`nik_sealed = ${fresh.sealed}, nik_hash = ${fresh.hash}`;
      await sql`update ${sql.table(walk.table)} set ${set} where ${match}`.execute(db);
      rewritten++;
    }
  }
}
