import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { ok, reject, type Result } from '../../shared/result.js';
import { enqueueMessage } from '../notifications/index.js';
import { averageRating } from './domain/counter-rules.js';

/**
 * The e-survey (issue 16 item 3): after a counter registration completes, one SMS with a link to the public page
 * /survei/<token> (1–5 stars, an optional comment). Only the token's hash is stored; one invitation per registration
 * (a second payment notification sends nothing), answered once.
 */
export async function inviteToSurvey(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'config'>,
  input: { registrationId: string; phone: string; branchCode: string; servicePointCode: string | null; now: Date },
): Promise<boolean> {
  const token = randomToken(16);
  const row = await trx
    .insertInto('survey_invitation')
    .values({ token_hash: sha256Hex(token), registration_id: input.registrationId, branch_code: input.branchCode, service_point_code: input.servicePointCode, sent_at: input.now })
    .onConflict((oc) => oc.column('registration_id').doNothing())
    .returning('token_hash')
    .executeTakeFirst();
  if (!row) return false;
  await enqueueMessage(trx, { channel: 'sms', to: input.phone, now: input.now, message: { template: 'survey_sms', link: `${deps.config.publicBaseUrl}/survei/${token}` } });
  return true;
}

export type SurveyState = 'open' | 'answered' | 'unknown';

/** Whether a survey link is still open to answer. */
export async function surveyState(db: Kysely<Database>, token: string): Promise<SurveyState> {
  const row = await db.selectFrom('survey_invitation').select('answered_at').where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  return !row ? 'unknown' : row.answered_at === null ? 'open' : 'answered';
}

/** Stores the answer once (a second answer to the same link is refused: survey_answered). */
export async function answerSurvey(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { token: string; rating: number; comment: string },
): Promise<Result<{ answered: true }, 'unknown_survey' | 'survey_answered' | 'invalid_request'>> {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) return reject('invalid_request', 'rating');
  const comment = input.comment.trim().slice(0, 500);
  const hash = sha256Hex(input.token);
  const done = await deps.db
    .updateTable('survey_invitation')
    .set({ rating: input.rating, comment: comment === '' ? null : comment, answered_at: deps.clock.now() })
    .where('token_hash', '=', hash)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 1) return ok({ answered: true as const });
  return (await surveyState(deps.db, input.token)) === 'unknown' ? reject('unknown_survey') : reject('survey_answered');
}

export interface SurveySummary {
  sent: number;
  answered: number;
  average: number | null;
  /** Answers per star, index 0 = 1 star. */
  byRating: number[];
}

/** The e-survey results since an instant, optionally of one branch (supervisors' dashboard). */
export async function surveySummary(db: Kysely<Database>, input: { since: Date; branchCode?: string | undefined }): Promise<SurveySummary> {
  const branch = input.branchCode ? sql`and branch_code = ${input.branchCode}` : sql``;
  const { rows } = await sql<{ rating: number | null; n: number }>`
    select rating, count(*)::int as n from survey_invitation where sent_at >= ${input.since} ${branch} group by rating`.execute(db);
  const byRating = [1, 2, 3, 4, 5].map((r) => rows.find((x) => x.rating === r)?.n ?? 0);
  const ratings = byRating.flatMap((n, i) => Array<number>(n).fill(i + 1));
  return { sent: rows.reduce((a, r) => a + r.n, 0), answered: ratings.length, average: averageRating(ratings), byRating };
}
