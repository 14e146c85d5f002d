import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, safeEqual, sha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { recordStaffAction } from '../audit/index.js';
import { clientUsable, PARTNER_TOKEN_PREFIX, PARTNER_TOKEN_TTL_SECONDS, type PartnerFunding, type PartnerScope } from './domain/credentials.js';

/**
 * Partners and their OAuth2 clients: created by staff (admin) or, in development, by POST /dev/partners; a client's
 * secret is shown once, at issue. Rotation: issue a second client, move the integration to it, revoke the first one
 * (or give it an expiry); both work meanwhile. Tokens (1 hour) are tied to their client: revoking it ends them too.
 */
export interface PartnerPrincipal {
  partnerId: string;
  clientId: string;
  scopes: PartnerScope[];
}

export interface IssuedClient {
  partnerId: string;
  clientId: string;
  clientSecret: string;
  scopes: PartnerScope[];
  expiresAt: string | null;
}

type Executor = Kysely<Database> | Transaction<Database>;

export async function createPartner(db: Executor, input: { name: string; funding: PartnerFunding }, now: Date): Promise<{ id: string; name: string; funding: PartnerFunding }> {
  const id = newId('ptr');
  await db.insertInto('partner').values({ id, name: input.name.trim(), funding: input.funding, active: true, created_at: now }).execute();
  return { id, name: input.name.trim(), funding: input.funding };
}

export async function issueClient(db: Executor, partnerId: string, opts: { scopes: PartnerScope[]; expiresAt?: Date | null }, now: Date): Promise<Result<IssuedClient, 'unknown_partner'>> {
  const partner = await db.selectFrom('partner').select('id').where('id', '=', partnerId).executeTakeFirst();
  if (!partner) {
    return reject('unknown_partner', 'id');
  }
  const clientId = `pc_${randomToken(12)}`;
  const clientSecret = randomToken(32);
  await db
    .insertInto('partner_client')
    .values({ client_id: clientId, partner_id: partnerId, secret_hash: sha256Hex(clientSecret), scopes: opts.scopes, created_at: now, revoked_at: null, expires_at: opts.expiresAt ?? null })
    .execute();
  return ok({ partnerId, clientId, clientSecret, scopes: opts.scopes, expiresAt: opts.expiresAt ? opts.expiresAt.toISOString() : null });
}

export async function revokeClient(db: Executor, partnerId: string, clientId: string, now: Date): Promise<Result<{ clientId: string; revokedAt: string }, 'unknown_partner_client'>> {
  const row = await db
    .updateTable('partner_client')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
    .where('client_id', '=', clientId)
    .where('partner_id', '=', partnerId)
    .returning(['client_id', 'revoked_at'])
    .executeTakeFirst();
  return row?.revoked_at ? ok({ clientId: row.client_id, revokedAt: row.revoked_at.toISOString() }) : reject('unknown_partner_client', 'clientId');
}

/** POST /oauth/token with grant_type=client_credentials: a bearer token for a usable client of an active partner. */
export async function issueToken(deps: Deps, clientId: string, clientSecret: string): Promise<Result<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }, 'invalid_client'>> {
  const now = deps.clock.now();
  const client = await deps.db
    .selectFrom('partner_client')
    .innerJoin('partner', 'partner.id', 'partner_client.partner_id')
    .select(['partner_client.client_id', 'partner_client.partner_id', 'partner_client.secret_hash', 'partner_client.scopes', 'partner_client.revoked_at', 'partner_client.expires_at', 'partner.active'])
    .where('partner_client.client_id', '=', clientId)
    .executeTakeFirst();
  // The hash is compared even for an unknown client, so the answer's timing does not tell which clients exist.
  const matches = safeEqual(sha256Hex(clientSecret), client?.secret_hash ?? sha256Hex(`unknown:${clientSecret}`));
  if (!client || !matches || !client.active || !clientUsable(client, now)) {
    return reject('invalid_client');
  }
  const token = `${PARTNER_TOKEN_PREFIX}${randomToken(32)}`;
  await deps.db
    .insertInto('partner_token')
    .values({ token_hash: sha256Hex(token), client_id: client.client_id, partner_id: client.partner_id, scopes: client.scopes, created_at: now, expires_at: new Date(now.getTime() + PARTNER_TOKEN_TTL_SECONDS * 1000) })
    .execute();
  return ok({ access_token: token, token_type: 'Bearer' as const, expires_in: PARTNER_TOKEN_TTL_SECONDS, scope: client.scopes.join(' ') });
}

/** The partner behind a bearer token: unexpired, its client still usable, its partner active. */
export async function findPartnerPrincipal(db: Kysely<Database>, token: string, now: Date): Promise<PartnerPrincipal | null> {
  if (!token.startsWith(PARTNER_TOKEN_PREFIX)) {
    return null;
  }
  const row = await db
    .selectFrom('partner_token')
    .innerJoin('partner_client', 'partner_client.client_id', 'partner_token.client_id')
    .innerJoin('partner', 'partner.id', 'partner_token.partner_id')
    .select(['partner_token.partner_id', 'partner_token.client_id', 'partner_token.scopes', 'partner_client.revoked_at', 'partner_client.expires_at', 'partner.active'])
    .where('partner_token.token_hash', '=', sha256Hex(token))
    .where('partner_token.expires_at', '>', now)
    .executeTakeFirst();
  if (!row || !row.active || !clientUsable(row, now)) {
    return null;
  }
  return { partnerId: row.partner_id, clientId: row.client_id, scopes: row.scopes as PartnerScope[] };
}

/** Staff (admin) actions on partners, audited in the same transaction. */
export async function createPartnerByStaff(deps: Deps, input: { name: string; funding: PartnerFunding; scopes: PartnerScope[] }, actor: string) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const partner = await createPartner(trx, input, now);
    const client = await issueClient(trx, partner.id, { scopes: input.scopes }, now);
    if (!client.ok) {
      throw new Error('a partner just created exists');
    }
    await recordStaffAction(trx, { actor, action: 'partner.create', subject: `partner:${partner.id}`, reason: null, detail: { name: partner.name, funding: partner.funding, clientId: client.value.clientId }, at: now });
    return { ...partner, clientId: client.value.clientId, clientSecret: client.value.clientSecret, scopes: client.value.scopes };
  });
}

export async function issueClientByStaff(deps: Deps, partnerId: string, opts: { scopes: PartnerScope[]; expiresAt: Date | null }, actor: string) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const client = await issueClient(trx, partnerId, opts, now);
    if (client.ok) {
      await recordStaffAction(trx, { actor, action: 'partner_client.issue', subject: `partner:${partnerId}`, reason: null, detail: { clientId: client.value.clientId, scopes: opts.scopes }, at: now });
    }
    return client;
  });
}

export async function revokeClientByStaff(deps: Deps, partnerId: string, clientId: string, actor: string) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await revokeClient(trx, partnerId, clientId, now);
    if (revoked.ok) {
      await recordStaffAction(trx, { actor, action: 'partner_client.revoke', subject: `partner:${partnerId}`, reason: null, detail: { clientId }, at: now });
    }
    return revoked;
  });
}
