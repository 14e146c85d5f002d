import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import type { Lang } from '../../shared/i18n/catalogue.js';
import { formatRupiah } from '../../shared/money.js';
import { localDateInJakarta, monthInJakarta } from '../../shared/month.js';
import { type NikKeys, sealedNikLast4 } from '../identity/index.js';
import { coverageAt } from '../membership/index.js';
import type { VerificationNote } from './claim-lines.js';
import type { ClaimStatusName, ClaimType } from './filing.js';
import { claimRulesAt, defaultClaimRuleBook } from './domain/claims-rule-book.js';
import { ruleText } from './domain/texts.js';

/**
 * What a claim looks like to its member and to staff (api-contract.md "Claims"): `{ id, type, status, kpj, lines,
 * total, payout? }` plus `history` (every state, its instant, actor and reason), `flags`, and for staff `eligibility`
 * (the flags explained, and the cover at the event for JKK/JKM). Also the staff queue, oldest first, keyset-paged.
 */
type ClaimRow = Selectable<Database['claim']>;

export function yearInJakarta(at: Date): number {
  return Number(localDateInJakarta(at).slice(0, 4));
}

const FLAG_RULE = { late_report: 'lateReport', npwp_required: 'npwpChecked' } as const;

function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) {
    return null;
  }
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export interface ClaimView {
  id: string;
  type: ClaimType;
  status: ClaimStatusName;
  kpj: string;
  reason: string | null;
  submittedAt: string;
  event: unknown;
  lines: { benefit: string; amount: number; child?: string }[];
  total: number | null;
  flags: string[];
  decisionReason: string | null;
  verifiedAutomatically: boolean;
  /** A full JHT withdrawal approved or paid closes the JHT account. */
  closesJhtAccount: boolean;
  history: { at: string; status: string; actor: string; reason: string | null }[];
  payout?: { status: PayoutStatus; amount: number };
  claimant?: unknown;
  children?: unknown;
  /** Staff only: the NPWP given with the claim, masked (the last 4 digits). */
  npwp?: string | null;
  eligibility?: {
    flags: { rule: string; message: string; todo: string }[];
    coverageAtEvent: { covered: boolean; programs: string[]; month: string } | null;
    /** What the verification found but does not pay (e.g. a child beyond the scholarship cap), with what to do. */
    failures: { code: string; rule: string; message: string; todo: string }[];
  };
}

/** The stored claimant for staff: the NIK as its last 4 digits (`nikMasked`), never the sealed value or its hash. */
function claimantView(stored: unknown, keys: NikKeys): Record<string, unknown> | null {
  const c = parseJson<Record<string, unknown>>(stored);
  if (!c) {
    return null;
  }
  const { nikHash: _hash, nikSealed, ...rest } = c;
  return { ...rest, nikMasked: typeof nikSealed === 'string' ? sealedNikLast4(nikSealed, keys) : null };
}

/** `012345678901234` → `***********1234`. */
export function maskNpwp(npwp: string): string {
  return `${'*'.repeat(npwp.length - 4)}${npwp.slice(-4)}`;
}

function flagTexts(row: ClaimRow, lang: Lang) {
  const limit = formatRupiah(claimRulesAt(monthInJakarta(new Date(row.submitted_at)), defaultClaimRuleBook).jhtNpwpAbove);
  return row.flags.map((f) => ({ rule: f, ...ruleText(FLAG_RULE[f as keyof typeof FLAG_RULE] ?? 'lateReport', { limit }, lang) }));
}

function verificationFailures(row: ClaimRow, lang: Lang) {
  const notes = parseJson<VerificationNote[]>(row.verification) ?? [];
  return notes.map((n) => ({ code: n.code, rule: n.rule, ...n[lang] }));
}

type PayoutStatus = 'pending' | 'paid' | 'failed';

async function baseView(deps: Deps, row: ClaimRow): Promise<ClaimView> {
  const [lines, events, payout] = await Promise.all([
    deps.db.selectFrom('claim_line').select(['benefit', 'amount', 'child']).where('claim_id', '=', row.id).orderBy('n').execute(),
    deps.db.selectFrom('claim_event').select(['at', 'status', 'actor', 'reason']).where('claim_id', '=', row.id).orderBy('id').execute(),
    deps.db.selectFrom('payout').select(['status', 'amount']).where('claim_id', '=', row.id).executeTakeFirst(),
  ]);
  const full = row.type === 'JHT' && row.reason !== 'partial_10' && row.reason !== 'partial_30';
  return {
    id: row.id,
    // The columns' CHECK constraints (migration 2026-12-07T1200-claims) hold exactly these values.
    type: row.type as ClaimType,
    status: row.status as ClaimStatusName,
    kpj: row.kpj,
    reason: row.reason,
    submittedAt: new Date(row.submitted_at).toISOString(),
    event: parseJson(row.event),
    lines: lines.map((l) => ({ benefit: l.benefit, amount: Number(l.amount), ...(l.child ? { child: l.child } : {}) })),
    total: row.total === null ? null : Number(row.total),
    flags: row.flags,
    decisionReason: row.decision_reason,
    verifiedAutomatically: row.verified_automatically,
    closesJhtAccount: full && (row.status === 'approved' || row.status === 'paid'),
    history: events.map((e) => ({ at: new Date(e.at).toISOString(), status: e.status, actor: e.actor, reason: e.reason })),
    ...(payout ? { payout: { status: payout.status as PayoutStatus, amount: Number(payout.amount) } } : {}),
  };
}

/** The member's own claim; another's (or none) is 404. */
export async function memberClaimView(deps: Deps, participantId: string, id: string): Promise<ClaimView> {
  const row = await deps.db.selectFrom('claim').selectAll().where('id', '=', id).where('participant_id', '=', participantId).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found', 'id');
  }
  return baseView(deps, row);
}

export async function memberClaims(deps: Deps, participantId: string): Promise<ClaimView[]> {
  const rows = await deps.db.selectFrom('claim').selectAll().where('participant_id', '=', participantId).orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  return Promise.all(rows.map((r) => baseView(deps, r)));
}

export async function staffClaimView(deps: Deps, id: string, lang: Lang): Promise<ClaimView> {
  const row = await deps.db.selectFrom('claim').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found', 'id');
  }
  const view = await baseView(deps, row);
  const coverageAtEvent = row.event_at === null ? null : await coverageAt(deps.db, row.participant_id, new Date(row.event_at));
  const eligibility = { flags: flagTexts(row, lang), coverageAtEvent, failures: verificationFailures(row, lang) };
  const npwp = row.npwp === null ? null : maskNpwp(row.npwp);
  return { ...view, claimant: claimantView(row.claimant, deps.config.nik), children: parseJson(row.children), npwp, eligibility };
}

export interface QueueQuery {
  status?: string | undefined;
  type?: string | undefined;
  /** Only claims submitted before this instant (the console's age filter). */
  submittedBefore?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || id === '') {
    throw new AppError('invalid_request', 'cursor');
  }
  return { at: date, id };
}

/** The staff queue: oldest first (submitted_at, id), `nextCursor` while more follow. */
export async function claimQueue(deps: Deps, q: QueueQuery) {
  let query = deps.db.selectFrom('claim').select(['id', 'type', 'status', 'kpj', 'flags', 'total', 'submitted_at', 'channel']).orderBy('submitted_at').orderBy('id').limit(q.limit + 1);
  if (q.status) {
    query = query.where('status', '=', q.status);
  }
  if (q.type) {
    query = query.where('type', '=', q.type);
  }
  if (q.submittedBefore) {
    query = query.where('submitted_at', '<', q.submittedBefore);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    query = query.where((eb) => eb.or([eb('submitted_at', '>', c.at), eb.and([eb('submitted_at', '=', c.at), eb('id', '>', c.id)])]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > q.limit && last ? Buffer.from(`${new Date(last.submitted_at).toISOString()}|${last.id}`).toString('base64url') : null;
  return {
    claims: page.map((r) => ({ id: r.id, type: r.type, status: r.status, kpj: r.kpj, flags: r.flags, total: r.total === null ? null : Number(r.total), channel: r.channel, submittedAt: new Date(r.submitted_at).toISOString() })),
    nextCursor,
  };
}
