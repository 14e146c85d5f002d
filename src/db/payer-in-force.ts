import { sql, type RawBuilder } from 'kysely';

type Ref = RawBuilder<unknown> | ReturnType<typeof sql.ref>;

/**
 * The payer named by a member's funding in force for `month` (issue 17 rosters; the SQL twin of membership's
 * fundingForMonth): the participant_funding row in force (the latest from_month ≤ month; before the first row, the
 * first row); without rows, the registration's payer unless the member is self-funded. '' = the member pays.
 * Per-member primary-key look-ups only, so set-based paths stay set-based.
 */
export function payerInForceSql(participantId: Ref, funding: Ref, registrationId: Ref, month: string | Ref): RawBuilder<string> {
  return sql<string>`coalesce(
    (select coalesce(pf.payer_id, '') from participant_funding pf where pf.participant_id = ${participantId}
      order by (pf.from_month <= ${month}) desc, case when pf.from_month <= ${month} then pf.from_month end desc, pf.from_month
      limit 1),
    case when ${funding} = 'self' then ''
         else coalesce((select rg.payer_id from registration rg where rg.id = ${registrationId}), '') end)`;
}

/**
 * Whether the member's `month` is paid by a partner or government payer (its roster: src/modules/rosters) — such a
 * member gets no individual dues bill or reminder for the month (the payer's period invoice covers it). A scalar
 * count on the partner's primary key (0 = the member, or a sponsor who is a participant, pays).
 */
export function onPayerRosterSql(participantId: Ref, funding: Ref, registrationId: Ref, month: string | Ref): RawBuilder<boolean> {
  return sql<boolean>`((select count(*) from partner pa where pa.id = ${payerInForceSql(participantId, funding, registrationId, month)}) > 0)`;
}
