import type { FundedBy } from '../../../modules/membership/index.js';
import { fill } from '../../i18n/catalogue.js';
import type { Messages } from '../../i18n/messages.js';
import { TitledSection } from '../../components/section.js';

/** The sentence saying who pays (null for a self-funded member: nothing to say). */
export function fundedBySentence(m: Messages, by: FundedBy): string | null {
  const f = m.funding;
  switch (by.kind) {
    case 'self':
      return null;
    case 'partner':
      return by.payerName ? fill(f.partnerNamed, { name: by.payerName }) : f.partner;
    default:
      return by.payerName ? fill(f.withName, { who: f[by.kind], name: by.payerName }) : f[by.kind];
  }
}

/** The account page's notice: who pays this month's contributions (a government-funded member is not discounted). */
export function FundingNotice({ m, by }: { m: Messages; by: FundedBy }) {
  const sentence = fundedBySentence(m, by);
  if (sentence === null) {
    return null;
  }
  return (
    <TitledSection id="pendanaan" title={m.funding.noticeTitle} class="card">
      <p>{sentence}</p>
      {by.kind === 'apbn' || by.kind === 'apbd' ? <p>{m.funding.governmentNoDiscount}</p> : null}
    </TitledSection>
  );
}
