import { sql, type RawBuilder } from 'kysely';

/**
 * `and <column> <= until` for a walk over one lane of an id range (jobs/batch-walk.ts), or nothing when the walk has
 * no upper bound — left out rather than written `(until is null or …)`, which would keep the planner from using the
 * bound in the index scan.
 */
export function idUntil(column: ReturnType<typeof sql.ref>, until: string | null | undefined): RawBuilder<unknown> {
  return until === null || until === undefined ? sql`` : sql`and ${column} <= ${until}::text`;
}
