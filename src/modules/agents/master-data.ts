/**
 * The agent app's signed master-data snapshot (issue 17 item 5): what the offline app /agen needs to fill its forms
 * and tell a worker the iuran without a network — active occupations (with the sector that decides PP 50/2025),
 * active branches, and the rule book's contribution figures in force from this month on (income ladder, program
 * rates, discounts, prepayment options).
 *
 * Signed with Ed25519 over a canonical JSON of { version, issuedAt, data } (keys sorted at every level, no spaces):
 * the app verifies it with WebCrypto against the key in its shell and refuses a snapshot that does not verify, so a
 * snapshot altered in the phone's storage or on the way is never used for prices. The key is derived from
 * CARD_SIGNING_SEED under its own label (the same secret as the card signer, a different key): development runs with
 * the development key, and production refuses to start with the development seed (config.ts).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse } from '../../http/schemas.js';
import { addMonths, monthInJakarta, type Month } from '../../shared/month.js';
import type { Clock } from '../../shared/clock.js';
import type { RuleBook } from '../contributions/index.js';
import { branchDirectory, occupationDirectory } from '../reference/index.js';

// PKCS#8 DER header for a raw 32-byte Ed25519 private key (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// SPKI DER header of an Ed25519 public key: the raw 32 bytes follow it.
const ED25519_SPKI_PREFIX_LENGTH = 12;

export type MasterDataRates = {
  /** The month these figures were cut from: rows that ended before it are left out. */
  fromMonth: Month;
  incomeLadders: { validFrom: Month; validTo: Month | null; min: number; max: number; step: number }[];
  programRates: ({ program: string; validFrom: Month; validTo: Month | null } & ({ basis: 'bps_of_base'; bps: number } | { basis: 'flat'; amount: number }))[];
  discountRules: { id: string; programs: string[]; bps: number; sectors: string[]; excludedFunding: string[]; validFrom: Month; validTo: Month | null }[];
  prepaymentOptions: number[];
};

export interface MasterData {
  occupations: { code: string; name: string; sector: 'transport' | 'other' }[];
  branches: { code: string; name: string; city: string }[];
  rates: MasterDataRates;
}

export interface MasterDataSnapshot {
  /** sha256 of the canonical data, 16 hex characters: equal content, equal version. */
  version: string;
  issuedAt: string;
  data: MasterData;
  /** Ed25519 over canonicalJson({ version, issuedAt, data }), base64url. */
  signature: string;
}

export interface MasterDataSigner {
  sign(snapshot: Omit<MasterDataSnapshot, 'signature'>): MasterDataSnapshot;
  verify(snapshot: MasterDataSnapshot): boolean;
  /** The raw 32-byte public key, base64url (what WebCrypto's importKey('raw', …, 'Ed25519') takes). */
  readonly publicKeyRaw: string;
  readonly publicKeyPem: string;
}

/** JSON with object keys sorted at every level and no whitespace; the browser's copy is canonicalJson in agen-core.js. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const signedText = (s: Omit<MasterDataSnapshot, 'signature'>) => Buffer.from(canonicalJson({ version: s.version, issuedAt: s.issuedAt, data: s.data }), 'utf8');

export function createMasterDataSigner(cardSigningSeed: string): MasterDataSigner {
  if (cardSigningSeed.length === 0) {
    throw new RangeError('signing seed must not be empty');
  }
  const rawSeed = createHash('sha256').update(`lindung:agent-master-data:${cardSigningSeed}`, 'utf8').digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, rawSeed]), format: 'der', type: 'pkcs8' });
  const publicKey: KeyObject = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKeyRaw: spki.subarray(ED25519_SPKI_PREFIX_LENGTH).toString('base64url'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(s) {
      return { version: s.version, issuedAt: s.issuedAt, data: s.data, signature: sign(null, signedText(s), privateKey).toString('base64url') };
    },
    verify(s) {
      try {
        return verify(null, signedText(s), publicKey, Buffer.from(s.signature, 'base64url'));
      } catch {
        return false;
      }
    },
  };
}

/** A ladder of equally spaced rungs as min/max/step; throws on one that is not (the app could not rebuild it). */
function ladderBounds(rungs: readonly number[]): { min: number; max: number; step: number } {
  const min = rungs[0] ?? 0;
  const step = (rungs[1] ?? min) - min;
  rungs.forEach((r, i) => {
    if (r !== min + i * step) throw new RangeError('income ladder is not evenly spaced: the agent snapshot cannot carry it as min/max/step');
  });
  return { min, max: rungs[rungs.length - 1] ?? min, step };
}

/** The rule book's contribution figures in force from `fromMonth` on. Pure. */
export function masterDataRates(rules: RuleBook, fromMonth: Month): MasterDataRates {
  const current = (r: { validTo: Month | null }) => r.validTo === null || r.validTo >= fromMonth;
  return {
    fromMonth,
    incomeLadders: rules.incomeLadders.filter(current).map((l) => ({ validFrom: l.validFrom, validTo: l.validTo, ...ladderBounds(l.rungs) })),
    programRates: rules.programRates.filter(current).map((r) =>
      r.basis === 'flat'
        ? { program: r.program, basis: 'flat' as const, amount: r.amount, validFrom: r.validFrom, validTo: r.validTo }
        : { program: r.program, basis: 'bps_of_base' as const, bps: r.bps, validFrom: r.validFrom, validTo: r.validTo },
    ),
    discountRules: rules.discountRules
      .filter(current)
      .map((d) => ({ id: d.id, programs: [...d.programs], bps: d.bps, sectors: [...d.sectors], excludedFunding: [...d.excludedFunding], validFrom: d.validFrom, validTo: d.validTo })),
    prepaymentOptions: [...rules.prepaymentOptions],
  };
}

export interface MasterDataDeps {
  db: Kysely<Database>;
  clock: Clock;
  rules: RuleBook;
  config: { cardSigningSeed: string };
}

const signers = new Map<string, MasterDataSigner>();
export function masterDataSigner(seed: string): MasterDataSigner {
  let s = signers.get(seed);
  if (!s) {
    s = createMasterDataSigner(seed);
    signers.set(seed, s);
  }
  return s;
}

/** Today's snapshot, signed. Rates start from last month so a phone offline over a month end still prices the month. */
export async function masterDataSnapshot(deps: MasterDataDeps): Promise<MasterDataSnapshot> {
  const now = deps.clock.now();
  const [occupations, branches] = await Promise.all([occupationDirectory(deps.db), branchDirectory(deps.db)]);
  const data: MasterData = {
    occupations: occupations.active.map((o) => ({ code: o.code, name: o.name, sector: o.sector })),
    branches: branches.active.map((b) => ({ code: b.code, name: b.name, city: b.city })),
    rates: masterDataRates(deps.rules, addMonths(monthInJakarta(now), -1)),
  };
  const version = createHash('sha256').update(canonicalJson(data)).digest('hex').slice(0, 16);
  return masterDataSigner(deps.config.cardSigningSeed).sign({ version, issuedAt: now.toISOString(), data });
}

const TAG = 'Agen PERISAI (agents)';
const ZSnapshot = z
  .object({
    version: z.string(),
    issuedAt: z.string().openapi({ description: "The server's clock when signed: the app also measures the phone clock's error from it" }),
    data: z.object({
      occupations: z.array(z.object({ code: z.string(), name: z.string(), sector: z.enum(['transport', 'other']) })),
      branches: z.array(z.object({ code: z.string(), name: z.string(), city: z.string() })),
      rates: z.record(z.string(), z.unknown()).openapi({ description: 'incomeLadders (min/max/step), programRates, discountRules, prepaymentOptions, fromMonth' }),
    }),
    signature: z.string().openapi({ description: 'Ed25519 over the canonical JSON of { version, issuedAt, data } (keys sorted, no spaces), base64url' }),
  })
  .openapi('AgentMasterData');
const ZKey = z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string().openapi({ description: 'Raw 32 bytes, base64url' }), publicKeyPem: z.string() }).openapi('AgentMasterDataKey');

/** GET /agent/master-data and /agent/master-data/key: public reference data (nothing personal), signed. */
export function agentMasterDataRoutes(deps: MasterDataDeps) {
  return createOpenApiApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/agent/master-data',
        tags: [TAG],
        summary: "The agent app's signed master-data snapshot: occupations, branches and the contribution figures",
        description: 'Public reference data, signed with Ed25519 so the offline app can refuse an altered copy. Verify with GET /agent/master-data/key.',
        responses: { 200: jsonResponse(ZSnapshot, 'The snapshot') },
      }),
      async (c) => {
        c.header('Cache-Control', 'no-cache');
        return c.json(await masterDataSnapshot(deps), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/agent/master-data/key',
        tags: [TAG],
        summary: 'The Ed25519 public key the master-data snapshot is signed with',
        responses: { 200: jsonResponse(ZKey, 'The public key') },
      }),
      (c) => {
        const s = masterDataSigner(deps.config.cardSigningSeed);
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json({ algorithm: 'Ed25519' as const, publicKey: s.publicKeyRaw, publicKeyPem: s.publicKeyPem }, 200);
      },
    );
}
