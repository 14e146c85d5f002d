import { sql, type RawBuilder } from 'kysely';

/**
 * A member's funding key in SQL (the twin of fundingKey in contributions/domain/funding.ts; both write the same
 * string): the participant_funding rows 'YYYY-MM:funding' in month order joined by '|', or participant.funding when
 * the member has no rows. A per-member primary-key lookup, so the set-based paths stay set-based.
 */
export function fundingKeySql(participantId: RawBuilder<unknown> | ReturnType<typeof sql.ref>, funding: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<string> {
  return sql<string>`coalesce((select string_agg(pf.from_month || ':' || pf.funding, '|' order by pf.from_month)
                                 from participant_funding pf where pf.participant_id = ${participantId}), ${funding})`;
}
