import { FUNDINGS, type Funding } from './rule-book.js';

/**
 * Who pays a member's contributions, effective-dated (issue 17 item 1): participant_funding rows, each from a month
 * until the next row. Pure; the database functions are membership/funding.ts, and the set-based paths (dues opening,
 * due reminders) carry a member's history as one "funding key" string (src/db/funding-key.ts makes it in SQL).
 */

/** One effective-dated row of a member's funding (participant_funding). */
export interface FundingFrom {
  fromMonth: string;
  funding: Funding;
}

/**
 * The funding in force for `month`: the row with the latest from_month on or before it; before the first row, the
 * first row (the first change writes the funding before it from the member's first month); with no rows, `latest`
 * (participant.funding, which always holds the funding in force now). The same rule as the income (termsInForce).
 */
export function fundingInForce(history: readonly FundingFrom[], latest: Funding, month: string): Funding {
  let found: FundingFrom | undefined;
  let first: FundingFrom | undefined;
  for (const row of history) {
    if (row.fromMonth <= month && (found === undefined || row.fromMonth > found.fromMonth)) found = row;
    if (first === undefined || row.fromMonth < first.fromMonth) first = row;
  }
  return (found ?? first)?.funding ?? latest;
}

const isFunding = (s: string): s is Funding => (FUNDINGS as readonly string[]).includes(s);

/**
 * A member's funding as one string, for pricing per combination: the funding itself for a member without history
 * ('self'), else the rows 'YYYY-MM:funding' in month order joined by '|' ('2026-01:self|2027-01:apbd'). The SQL
 * twin is fundingKeySql (src/db/funding-key.ts); both must write the same string.
 */
export function fundingKey(history: readonly FundingFrom[], latest: Funding): string {
  if (history.length === 0) return latest;
  return [...history].sort((a, b) => (a.fromMonth < b.fromMonth ? -1 : 1)).map((r) => `${r.fromMonth}:${r.funding}`).join('|');
}

/** Reads a funding key back (null when it is not one). */
export function parseFundingKey(key: string): { latest: Funding; history: FundingFrom[] } | null {
  if (isFunding(key)) return { latest: key, history: [] };
  const history: FundingFrom[] = [];
  for (const part of key.split('|')) {
    const [fromMonth, funding] = part.split(':');
    if (fromMonth === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(fromMonth) || funding === undefined || !isFunding(funding)) return null;
    history.push({ fromMonth, funding });
  }
  const last = history[history.length - 1];
  return last ? { latest: last.funding, history } : null;
}
