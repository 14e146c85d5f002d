import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';

/**
 * Bearer sessions for participants: a random token, stored only as its SHA-256, expiring after the configured TTL
 * (or at `expiresAt`, when a session is re-issued for another participant and keeps its predecessor's end). The
 * phone whose OTP opened it is kept, for the switch between participants sharing that phone.
 */
export async function createSession(
  trx: Transaction<Database>,
  input: { participantId: string; now: Date; ttlMinutes: number; verifiedPhone: string | null; expiresAt?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = input.expiresAt ?? new Date(input.now.getTime() + input.ttlMinutes * 60_000);
  await trx
    .insertInto('session')
    .values({ token_hash: sha256Hex(token), participant_id: input.participantId, expires_at: expiresAt, created_at: input.now, verified_phone: input.verifiedPhone })
    .execute();
  return { token, expiresAt };
}

/** The live session of a token (not expired at `now`). */
function liveSession(db: Kysely<Database>, token: string, now: Date) {
  return db.selectFrom('session').where('token_hash', '=', sha256Hex(token)).where('expires_at', '>', now);
}

/** A live session, locked until the transaction ends (so it is ended or switched once). */
export async function lockSession(trx: Transaction<Database>, token: string, now: Date) {
  return liveSession(trx, token, now).select(['participant_id', 'verified_phone', 'expires_at']).forUpdate().executeTakeFirst();
}

/** A live session: whom it opens, and the phone it was signed in with. */
export async function findSession(db: Kysely<Database>, token: string, now: Date) {
  return liveSession(db, token, now).select(['participant_id', 'verified_phone']).executeTakeFirst();
}

export async function findSessionParticipant(db: Kysely<Database>, token: string, now: Date): Promise<string | null> {
  return (await findSession(db, token, now))?.participant_id ?? null;
}

/** Ends a session (sign-out): the token stops working at once, whatever its expiry. */
export async function deleteSession(db: Kysely<Database> | Transaction<Database>, token: string): Promise<void> {
  await db.deleteFrom('session').where('token_hash', '=', sha256Hex(token)).execute();
}

/** The participant a live session opens, now (null for an unknown, ended or expired token): the portal's sign-in check. */
export async function sessionParticipant(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<string | null> {
  return findSessionParticipant(deps.db, token, deps.clock.now());
}

/** Signs out: the session's token stops working at once (an unknown or ended token is no error). */
export async function signOut(deps: Pick<Deps, 'db'>, token: string): Promise<void> {
  await deleteSession(deps.db, token);
}
