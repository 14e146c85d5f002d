import type { MemberFunding } from '../../modules/membership/index.js';
import { HeadRow } from '../components/table.js';
import type { Lang } from '../i18n/catalogue.js';
import { formatMonth } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

/**
 * The staff participant view's funding (issue 17), read only: who pays this month and the effective-dated history.
 * Changing it is the supervisor's PUT /api/v1/staff/participants/{kpj}/funding.
 */
export function FundingSection({ m, lang, funding }: { m: Messages; lang: Lang; funding: MemberFunding }) {
  const f = m.funding;
  const kind = (k: MemberFunding['funding']) => f[`kind_${k}`];
  const payer = (name: string | null, id: string | null) => name ?? id ?? '—';
  return (
    <>
      <h2 id="pendanaan">{f.staffTitle}</h2>
      <dl class="staff-facts">
        <dt>{f.staffNow}</dt>
        <dd>{kind(funding.funding)}</dd>
        {funding.funding === 'self' ? null : (
          <>
            <dt>{f.staffPayer}</dt>
            <dd>{payer(funding.payerName, funding.payerId)}</dd>
          </>
        )}
      </dl>
      {funding.history.length === 0 ? (
        <p>{f.staffNoHistory}</p>
      ) : (
        <table>
          <caption>{f.staffHistory}</caption>
          <HeadRow columns={[{ label: f.staffFrom }, { label: f.staffKind }, { label: f.staffPayer }]} />
          <tbody>
            {funding.history.map((r) => (
              <tr>
                <td>{formatMonth(r.fromMonth, lang)}</td>
                <td>{kind(r.funding)}</td>
                <td>{r.funding === 'self' ? '—' : payer(r.payerName, r.payerId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
