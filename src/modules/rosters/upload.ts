import type { Funding } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { nikHash } from '../identity/index.js';
import { findParticipantByKpj, findParticipantByNikHash, FundingChangeError, setFunding } from '../membership/index.js';
import type { RosterRowResult, RosterUploadRow } from './domain/roster-upload.js';
import { leaveRoster } from './leave.js';
import { payerOfMonth } from './roster.js';

export interface RosterUploadOutcome {
  period: string;
  total: number;
  accepted: number;
  rejected: number;
  rows: RosterRowResult[];
}

/**
 * Applies a government payer's roster upload for `period` (issue 17 item 3), row by row, each in its own
 * transaction: `join` moves an EXISTING member (by NIK — its keyed hash — or KPJ) under the payer's funding from the
 * period (membership setFunding, audited as partner:<id>); `leave` is leaveRoster. Idempotent per row: a member
 * already on this payer's roster from the period is accepted again, nothing changes. Per-row codes: the enrolment
 * batch's (invalid_nik, duplicate_in_batch, invalid_request) plus unknown_participant, funded_by_other_payer (another
 * payer or a sponsor pays the month), funding_month_paid (the period is already paid), not_on_roster (leave).
 */
export async function applyRosterUpload(deps: Deps, payerId: string, period: string, rows: readonly RosterUploadRow[], rejected: readonly RosterRowResult[]): Promise<RosterUploadOutcome> {
  const payer = await deps.db.selectFrom('partner').select(['name', 'funding']).where('id', '=', payerId).executeTakeFirst();
  if (!payer || (payer.funding !== 'apbn' && payer.funding !== 'apbd')) {
    throw new AppError('forbidden', undefined, 'roster uploads are for government payers (funding apbn or apbd)');
  }
  const results: RosterRowResult[] = [...rejected];
  const seen = new Set<string>();
  for (const row of rows) {
    results.push(await applyRow(deps, { id: payerId, name: payer.name, funding: payer.funding as Funding }, period, row, seen));
  }
  results.sort((a, b) => a.row - b.row);
  const accepted = results.filter((r) => r.status === 'accepted').length;
  return { period, total: results.length, accepted, rejected: results.length - accepted, rows: results };
}

async function applyRow(deps: Deps, payer: { id: string; name: string; funding: Funding }, period: string, row: RosterUploadRow, seen: Set<string>): Promise<RosterRowResult> {
  const field = row.nik !== null ? 'nik' : 'kpj';
  const reject = (code: string, f = field): RosterRowResult => ({ row: row.row, status: 'rejected', code, field: f });
  const p = row.nik !== null ? await findParticipantByNikHash(deps.db, nikHash(row.nik, deps.config.nik)) : await findParticipantByKpj(deps.db, row.kpj ?? '');
  if (!p) {
    return reject('unknown_participant');
  }
  if (seen.has(p.id)) {
    return reject('duplicate_in_batch');
  }
  seen.add(p.id);
  if (row.action === 'leave') {
    try {
      await leaveRoster(deps, payer.id, p.kpj, null);
      return { row: row.row, status: 'accepted', kpj: p.kpj };
    } catch (err) {
      if (err instanceof AppError) {
        return reject(err.code);
      }
      throw err;
    }
  }
  const current = await payerOfMonth(deps.db, p.id, period);
  if (current === payer.id) {
    return { row: row.row, status: 'accepted', kpj: p.kpj };
  }
  if (current !== '') {
    return reject('funded_by_other_payer');
  }
  try {
    await deps.db.transaction().execute((trx) =>
      setFunding(trx, deps, { participantId: p.id, funding: payer.funding, payerId: payer.id, payerName: payer.name, fromMonth: period, actor: `partner:${payer.id}`, reason: `Daftar peserta ${payer.name} mulai ${period}` }),
    );
  } catch (err) {
    if (err instanceof FundingChangeError) {
      return reject(err.code === 'funding_month_paid' ? 'funding_month_paid' : 'unknown_participant', err.code === 'funding_month_paid' ? 'period' : field);
    }
    throw err;
  }
  return { row: row.row, status: 'accepted', kpj: p.kpj };
}
