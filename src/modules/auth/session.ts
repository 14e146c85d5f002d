import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';

/** Bearer sessions for participants: a random token, stored only as its SHA-256, expiring after the configured TTL. */
export async function createSession(
  trx: Transaction<Database>,
  input: { participantId: string; now: Date; ttlMinutes: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(input.now.getTime() + input.ttlMinutes * 60_000);
  await trx
    .insertInto('session')
    .values({ token_hash: sha256Hex(token), participant_id: input.participantId, expires_at: expiresAt, created_at: input.now })
    .execute();
  return { token, expiresAt };
}

export async function findSessionParticipant(db: Kysely<Database>, token: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('session')
    .select('participant_id')
    .where('token_hash', '=', sha256Hex(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.participant_id ?? null;
}

/** Ends a session (sign-out): the token stops working at once, whatever its expiry. */
export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', sha256Hex(token)).execute();
}
