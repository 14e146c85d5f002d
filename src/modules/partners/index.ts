/**
 * The partners module's facade (issue 17): partners, sponsors and government payers — OAuth2 client credentials
 * (POST /oauth/token), enrolment batches (CSV/JSON, processed by a job through registration's enrolMany, one
 * collective bill per batch through payer-bills), the partner's participants, staff administration.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { findPartnerPrincipal, type PartnerPrincipal } from './clients.js';
import { enrolledByPartner } from './participants.js';

export { createPartner, issueClient, issueToken, type IssuedClient, type PartnerPrincipal, revokeClient } from './clients.js';
export { batchView, type BatchView, submitBatch } from './batches.js';
export { BATCH_CHUNK, type ChunkWriter, prepareBatchChunk, processBatch, unfinishedBatches, writeBatchChunk } from './batch-processing.js';
export { batchFromCsv, batchFromJson, BATCH_COLUMNS } from './domain/batch-input.js';
export { PARTNER_FUNDINGS, PARTNER_SCOPES, type PartnerFunding, type PartnerScope } from './domain/credentials.js';
export { BATCHES_PATH, partnerRoutes, partnerStaffRoutes, partnerTokenRoutes } from './partners.routes.js';
export { enrolledByPartner, partnerParticipants } from './participants.js';
export { createPartnerByStaff, issueClientByStaff, revokeClientByStaff } from './clients.js';
export { listPartnersForStaff, type PartnerBatchItem, type PartnerClientItem, type PartnerDetail, type PartnerListItem, partnerForStaff } from './staff-views.js';

/** What src/http/auth.ts and the participant look-up need of partners (Deps.partners, wired in compose.ts). */
export interface PartnerPort {
  principalOf(db: Kysely<Database>, token: string, now: Date): Promise<PartnerPrincipal | null>;
  enrolled(db: Kysely<Database>, partnerId: string, kpj: string): Promise<boolean>;
}

export const partnerPort: PartnerPort = { principalOf: findPartnerPrincipal, enrolled: enrolledByPartner };
