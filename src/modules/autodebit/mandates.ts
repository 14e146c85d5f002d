import type { Selectable } from 'kysely';
import type { AutodebitMandateTable } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { newId } from '../../shared/ids.js';
import { formatInstantWib, localDateInJakarta } from '../../shared/month.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { normalizePhone } from '../identity/index.js';
import { enqueueMessage } from '../notifications/index.js';
import { DEBIT_PROVIDERS, tokenHint, type ProviderKind } from './debit-provider.js';

/**
 * Auto-debit mandates (mandat autodebet; issue 4 item 4): a member's permission for the collection job to debit one
 * bank account or e-wallet for their dues. At most one active mandate per member (a partial unique index decides);
 * a revoked mandate is kept (history) and never charged again. The provider's token is stored but never shown, and
 * logged only as a hint (first and last four characters). Registering and revoking are told by email, so a member
 * notices a mandate they did not make.
 */
export type Mandate = Selectable<AutodebitMandateTable>;

export interface MandateView {
  id: string;
  providerKind: ProviderKind;
  providerName: string;
  accountMasked: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt: string | null;
}

export function mandateView(m: Mandate): MandateView {
  return {
    id: m.id,
    providerKind: m.provider_kind,
    providerName: m.provider_name,
    accountMasked: m.account_masked,
    status: m.status,
    createdAt: formatInstantWib(m.created_at),
    revokedAt: m.revoked_at ? formatInstantWib(m.revoked_at) : null,
  };
}

export type AccountRejection = 'unknown_debit_provider' | 'invalid_account_number';

/** The provider as listed (case-insensitive match), or null. */
export function findDebitProvider(kind: string, name: string): { kind: ProviderKind; name: string } | null {
  if (kind !== 'bank' && kind !== 'ewallet') {
    return null;
  }
  const found = DEBIT_PROVIDERS[kind].find((n) => n.toLowerCase() === name.trim().toLowerCase());
  return found ? { kind, name: found } : null;
}

/**
 * A bank account is 6–20 digits (spaces, dots and dashes as typed are dropped); an e-wallet account is the phone
 * number it is registered to. Returns the normalised account and how it is shown: '****7890' or '0812****7890'.
 */
export function normalizeAccount(kind: ProviderKind, raw: string): Result<{ account: string; masked: string }, 'invalid_account_number'> {
  if (kind === 'bank') {
    const digits = raw.replace(/[\s.-]/g, '');
    if (!/^\d{6,20}$/.test(digits)) {
      return reject('invalid_account_number', 'accountNumber');
    }
    return ok({ account: digits, masked: `****${digits.slice(-4)}` });
  }
  const phone = normalizePhone(raw);
  if (!phone.ok) {
    return reject('invalid_account_number', 'accountNumber');
  }
  const national = `0${phone.value.slice(3)}`;
  return ok({ account: phone.value, masked: `${national.slice(0, 4)}****${national.slice(-4)}` });
}

export async function listMandates(deps: Deps, participantId: string): Promise<MandateView[]> {
  const rows = await deps.db
    .selectFrom('autodebit_mandate')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return rows.map(mandateView);
}

export interface RegisterMandateInput {
  providerKind: string;
  providerName: string;
  accountNumber: string;
}

export async function registerMandate(
  deps: Deps,
  participantId: string,
  input: RegisterMandateInput,
): Promise<Result<MandateView, AccountRejection | 'mandate_exists' | 'autodebit_unavailable' | 'unauthorized'>> {
  const debit = deps.debit;
  if (!debit) {
    return reject('autodebit_unavailable');
  }
  const provider = findDebitProvider(input.providerKind, input.providerName);
  if (!provider) {
    return reject('unknown_debit_provider', 'providerName');
  }
  const account = normalizeAccount(provider.kind, input.accountNumber);
  if (!account.ok) {
    return account;
  }
  const participant = await deps.db.selectFrom('participant').select(['id', 'kpj', 'full_name', 'email']).where('id', '=', participantId).executeTakeFirst();
  if (!participant) {
    return reject('unauthorized');
  }
  // A friendly early answer; the partial unique index is what guarantees one active mandate under concurrency.
  if (await activeMandate(deps, participantId)) {
    return reject('mandate_exists');
  }
  const { token } = await debit.link({ providerKind: provider.kind, providerName: provider.name, account: account.value.account });
  const now = deps.clock.now();
  const id = newId('mdt');
  const created = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('autodebit_mandate')
      .values({
        id,
        participant_id: participantId,
        provider_kind: provider.kind,
        provider_name: provider.name,
        token,
        account_masked: account.value.masked,
        status: 'active',
        created_at: now,
        revoked_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await enqueueMessage(trx, {
        channel: 'email',
        to: participant.email,
        now,
        message: {
          template: 'autodebit_mandate_email',
          fullName: participant.full_name,
          kpj: participant.kpj,
          action: 'registered',
          providerName: provider.name,
          accountMasked: account.value.masked,
          date: localDateInJakarta(now),
        },
      });
    }
    return row;
  });
  if (!created) {
    return reject('mandate_exists');
  }
  deps.logger.info('autodebit mandate registered', { mandateId: id, provider: provider.name, tokenHint: tokenHint(token) });
  return ok(mandateView(created));
}

/** Revokes the member's mandate. Revoking an already revoked mandate answers it unchanged; another member's is unknown. */
export async function revokeMandate(deps: Deps, participantId: string, mandateId: string): Promise<Result<MandateView, 'unknown_mandate'>> {
  const now = deps.clock.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('autodebit_mandate')
      .set({ status: 'revoked', revoked_at: now })
      .where('id', '=', mandateId)
      .where('participant_id', '=', participantId)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    if (row) {
      const p = await trx.selectFrom('participant').select(['kpj', 'full_name', 'email']).where('id', '=', participantId).executeTakeFirstOrThrow();
      await enqueueMessage(trx, {
        channel: 'email',
        to: p.email,
        now,
        message: {
          template: 'autodebit_mandate_email',
          fullName: p.full_name,
          kpj: p.kpj,
          action: 'revoked',
          providerName: row.provider_name,
          accountMasked: row.account_masked,
          date: localDateInJakarta(now),
        },
      });
    }
    return row;
  });
  if (revoked) {
    deps.logger.info('autodebit mandate revoked', { mandateId });
    return ok(mandateView(revoked));
  }
  const existing = await deps.db.selectFrom('autodebit_mandate').selectAll().where('id', '=', mandateId).where('participant_id', '=', participantId).executeTakeFirst();
  return existing ? ok(mandateView(existing)) : reject('unknown_mandate', 'id');
}

export async function activeMandate(deps: Deps, participantId: string): Promise<Mandate | undefined> {
  return deps.db.selectFrom('autodebit_mandate').selectAll().where('participant_id', '=', participantId).where('status', '=', 'active').executeTakeFirst();
}

export interface AttemptView {
  month: string;
  attempt: number;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  failureReason: string | null;
  at: Date;
}

/** The member's recent auto-debit attempts, newest first. */
export async function listMemberAttempts(deps: Deps, participantId: string, limit = 24): Promise<AttemptView[]> {
  const rows = await deps.db
    .selectFrom('autodebit_attempt')
    .select(['month', 'attempt', 'amount', 'status', 'failure_reason', 'created_at', 'finished_at'])
    .where('participant_id', '=', participantId)
    .orderBy('month', 'desc')
    .orderBy('attempt', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ month: r.month, attempt: r.attempt, amount: Number(r.amount), status: r.status, failureReason: r.failure_reason, at: r.finished_at ?? r.created_at }));
}
