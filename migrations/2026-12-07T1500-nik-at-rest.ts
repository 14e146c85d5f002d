import { sql, type Kysely, type RawBuilder } from 'kysely';
import { nikKeysConfig } from '../src/config.js';
import { nikHash, type NikKeys, sealNik } from '../src/modules/identity/index.js';

/**
 * The NIK at rest (issue 16 item 6; docs/security.md). Until now the NIK was plain text in participant.nik (unique),
 * registration.nik (indexed), heir.nik, population_resident.nik (the development registry's key) and claim.claimant
 * ->> 'nik'. Each becomes two values computed in the application (identity's nik-vault):
 * - `nik_hash`: HMAC-SHA256 under NIK_HASH_KEY (hex) — equality look-ups, the unique constraint (participant), the
 *   settlement functions' per-person lock and `on conflict (nik_hash)`;
 * - `nik_sealed`: AES-256-GCM under the current key of NIK_KEYS, `v1:<keyId>:<base64(iv|ct|tag)>` — opened only to
 *   show a masked NIK or to send it to the population registry. population_resident keeps the hash only (its rows are
 *   looked up, never shown); claim.claimant keeps `nikHash` + `nikSealed` in place of `nik`.
 * Existing rows are filled in batches of 500 with the keys the server is configured with (NIK_KEYS / NIK_HASH_KEY
 * from the environment, the development keys outside production: config.ts nikKeysConfig) — read only when there is
 * a row to fill, so an empty database needs none.
 *
 * Decision: the plain-text columns are DROPPED, not nulled. A nulled column invites a future write of the NIK back
 * into it, and a dropped one makes every forgotten reader fail loudly in the tests instead of reading nulls. The NIK
 * in old backups stays plain: they are to be expired by the backup retention (docs/security.md). Frozen once shipped.
 */
const BATCH = 500;

interface Target {
  table: string;
  /** The columns that identify a row (the primary key). */
  key: string[];
  /** Also write nik_sealed (population_resident keeps the hash only). */
  sealed: boolean;
}

const TARGETS: Target[] = [
  { table: 'participant', key: ['id'], sealed: true },
  { table: 'registration', key: ['id'], sealed: true },
  { table: 'heir', key: ['participant_id', 'id'], sealed: true },
  { table: 'population_resident', key: ['nik'], sealed: false },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table participant add column nik_hash text, add column nik_sealed text;
    alter table registration add column nik_hash text, add column nik_sealed text;
    alter table heir add column nik_hash text, add column nik_sealed text;
    alter table population_resident add column nik_hash text;
  `.execute(db);
  let keys: NikKeys | undefined;
  const keyring = () => (keys ??= nikKeysConfig(process.env));
  for (const target of TARGETS) {
    await fill(db, target, keyring);
  }
  await fillClaimants(db, keyring);
  await sql`
    alter table participant alter column nik_hash set not null, alter column nik_sealed set not null, drop column nik;
    alter table participant add constraint participant_nik_hash_key unique (nik_hash);
    drop index registration_nik_idx;
    alter table registration alter column nik_hash set not null, alter column nik_sealed set not null, drop column nik;
    create index registration_nik_hash_idx on registration (nik_hash);
    alter table heir drop column nik;
    alter table heir add constraint heir_nik_both check ((nik_hash is null) = (nik_sealed is null));
    alter table population_resident drop column nik;
    alter table population_resident alter column nik_hash set not null, add primary key (nik_hash);
  `.execute(db);
}

/** Fills nik_hash (and nik_sealed) of `target`'s rows that still have a NIK and no hash, BATCH rows per statement. */
async function fill(db: Kysely<any>, target: Target, keyring: () => NikKeys): Promise<void> {
  const keyCols = sql.join(target.key.map((k) => sql.ref(k)));
  for (;;) {
    const rows = (
      await sql<Record<string, string>>`select ${keyCols}, nik from ${sql.table(target.table)} where nik is not null and nik_hash is null limit ${BATCH}`.execute(db)
    ).rows;
    if (rows.length === 0) {
      return;
    }
    const keys = keyring();
    const values = sql.join(
      rows.map((r) => {
        const parts: RawBuilder<unknown>[] = target.key.map((k) => sql`${r[k]}`);
        parts.push(sql`${nikHash(r['nik'] ?? '', keys)}`);
        if (target.sealed) parts.push(sql`${sealNik(r['nik'] ?? '', keys)}`);
        return sql`(${sql.join(parts)})`;
      }),
    );
    const names = [...target.key.map((k) => `k_${k}`), 'h', ...(target.sealed ? ['s'] : [])];
    const set = target.sealed ? sql`nik_hash = v.h, nik_sealed = v.s` : sql`nik_hash = v.h`;
    const match = sql.join(
      target.key.map((k) => sql`t.${sql.ref(k)} = v.${sql.ref(`k_${k}`)}`),
      sql` and `,
    );
    await sql`update ${sql.table(target.table)} t set ${set} from (values ${values}) as v(${sql.join(names.map((n) => sql.ref(n)))}) where ${match}`.execute(db);
  }
}

/** claim.claimant { nik, … } → { nikHash, nikSealed, … }. */
async function fillClaimants(db: Kysely<any>, keyring: () => NikKeys): Promise<void> {
  for (;;) {
    const rows = (await sql<{ id: string; nik: string }>`select id, claimant ->> 'nik' as nik from claim where claimant ? 'nik' limit ${BATCH}`.execute(db)).rows;
    if (rows.length === 0) {
      return;
    }
    const keys = keyring();
    for (const r of rows) {
      const add = JSON.stringify({ nikHash: nikHash(r.nik, keys), nikSealed: sealNik(r.nik, keys) });
      await sql`update claim set claimant = (claimant - 'nik') || ${add}::jsonb where id = ${r.id}`.execute(db);
    }
  }
}
