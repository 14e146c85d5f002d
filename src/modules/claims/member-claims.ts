/**
 * The member's claim pages' use cases (issue 15 item 6, src/web/pages/member/claims-*.tsx): the JHT checks before
 * filing (every failed condition with what to do, the balance, this year's accrual and the amount the claim would
 * pay), a claim with its documents, and uploading a document of one's own claim. Filing, resubmitting and the views
 * themselves are filing.ts, review.ts and claim-view.ts; this file only puts their answers together for a page.
 */
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import type { Lang } from '../../shared/i18n/catalogue.js';
import { localDateInJakarta, monthInJakarta, type LocalDate } from '../../shared/month.js';
import { jhtSelfServiceCap } from '../contributions/index.js';
import { documentStoreFromConfig, type DocumentStore, type DocumentUpload } from '../documents/index.js';
import { jhtBalanceAndAccrual } from '../jht/index.js';
import { listClaimDocuments, uploadClaimDocument, type ClaimDocument, type ClaimDocumentsView } from './claim-documents.js';
import { jhtClaimLines } from './claim-lines.js';
import { memberClaimView, type ClaimView } from './claim-view.js';
import { linesTotal, type BenefitLine } from './domain/benefit-lines.js';
import type { Failure, JhtReason } from './domain/eligibility.js';
import { eligibilityOf, fileClaim, type ClaimType, type FileClaimInput } from './filing.js';

/** What the JHT claim page shows before the member confirms. */
export interface JhtClaimPreview {
  /** Every failed condition for this reason and date (empty: the claim can be filed). */
  failures: readonly Failure[];
  balance: number;
  /** This year's return accrued so far (paid with a full withdrawal). */
  accrued: number;
  /** The lines the claim would pay (a partial claim: 10% or 30% of the balance). */
  lines: BenefitLine[];
  total: number;
  /** The self-service cap this month: above it the claim is filed at a branch. */
  cap: number;
  fullName: string;
}

/** The checks and the amount of a JHT claim the member is about to file; null for an unknown participant. */
export async function jhtClaimPreview(deps: Deps, participantId: string, q: { reason: JhtReason; reasonDate: LocalDate | undefined }, lang: Lang): Promise<JhtClaimPreview | null> {
  const p = await deps.db
    .selectFrom('participant')
    .select(['id', 'kpj', 'birth_date', 'created_at', 'full_name', 'email', 'phone'])
    .where('id', '=', participantId)
    .executeTakeFirst();
  if (!p) {
    return null;
  }
  const now = deps.clock.now();
  const input = { participantId, channel: 'self_service' as const, actor: `participant:${p.kpj}`, type: 'JHT' as const, reason: q.reason, reasonDate: q.reasonDate, bankAccount: { bankCode: '', accountNumber: '', accountName: '' }, lang };
  const verdict = await eligibilityOf(deps, p, input, now);
  const { balance, accrued } = await jhtBalanceAndAccrual(deps.db, p.kpj, localDateInJakarta(now));
  const lines = await jhtClaimLines(deps.db, deps, { kpj: p.kpj, reason: q.reason, now });
  return { failures: verdict.failures, balance, accrued, lines, total: linesTotal(lines), cap: jhtSelfServiceCap(monthInJakarta(now), deps.rules), fullName: p.full_name };
}

/** The member's own JHT balance and the self-service cap, for the claim page before a reason is chosen. */
export async function jhtClaimStart(deps: Deps, participantId: string): Promise<{ balance: number; accrued: number; cap: number } | null> {
  const p = await deps.db.selectFrom('participant').select('kpj').where('id', '=', participantId).executeTakeFirst();
  if (!p) {
    return null;
  }
  const now = deps.clock.now();
  const { balance, accrued } = await jhtBalanceAndAccrual(deps.db, p.kpj, localDateInJakarta(now));
  return { balance, accrued, cap: jhtSelfServiceCap(monthInJakarta(now), deps.rules) };
}

/** One of the member's claims with its documents and the required kinds still missing; null when not theirs. */
export async function memberClaimWithDocuments(deps: Deps, participantId: string, claimId: string, lang: Lang): Promise<{ claim: ClaimView; documents: ClaimDocumentsView } | null> {
  const documents = await listClaimDocuments(deps, claimId, { kind: 'participant', participantId }, lang);
  if (!documents) {
    return null;
  }
  return { claim: await memberClaimView(deps, participantId, claimId), documents };
}

const stores = new WeakMap<Deps, DocumentStore>();

/** The document store of this configuration, made once per Deps. */
function storeOf(deps: Deps): DocumentStore {
  let store = stores.get(deps);
  if (!store) {
    store = documentStoreFromConfig(deps.config);
    stores.set(deps, store);
  }
  return store;
}

/** Uploads a document of the member's own claim (refusals: the AppErrors of uploadClaimDocument). */
export async function uploadMemberClaimDocument(
  deps: Deps,
  participantId: string,
  input: { claimId: string; kind: string; upload: DocumentUpload },
  lang: Lang,
): Promise<{ document: ClaimDocument; created: boolean }> {
  return uploadClaimDocument(deps, storeOf(deps), input, { kind: 'participant', participantId }, lang);
}

/** The member files their own JHT or JKK claim (channel self_service, actor `participant:KPJ`): POST /me/claims and the portal. */
export async function fileOwnClaim(
  deps: Deps,
  participantId: string,
  input: Pick<FileClaimInput, 'type' | 'reason' | 'reasonDate' | 'event' | 'npwp' | 'bankAccount' | 'lang'> & { type: 'JHT' | 'JKK' },
): Promise<{ id: string; status: 'submitted' | 'verified'; type: ClaimType }> {
  const p = await deps.db.selectFrom('participant').select('kpj').where('id', '=', participantId).executeTakeFirst();
  if (!p) {
    throw new AppError('unknown_participant');
  }
  return fileClaim(deps, { ...input, participantId, channel: 'self_service', actor: `participant:${p.kpj}` });
}
