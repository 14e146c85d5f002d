import type { Deps } from '../../deps.js';
import { benefitsFor, projectJhtBalance, type Quote, type Program } from '../../modules/contributions/index.js';
import { JhtChart, milestonePoints } from '../components/jht-chart.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { rupiah } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';

const PROJECTION_YEARS = 30;

function percent(bps: number, lang: Lang): string {
  return `${new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(bps / 100)}%`;
}

/** What the chosen programs buy at the declared income, and the JHT projection, all from the rule book. */
export function BenefitsSection(props: { m: Messages; lang: Lang; deps: Deps; income: number; programs: Program[]; quote: Quote }) {
  const { m, lang } = props;
  const first = props.quote.months[0];
  if (!first) {
    return null;
  }
  const b = benefitsFor({ declaredIncome: props.income, programs: props.programs, month: first.month }, props.deps.rules);
  if (!b.ok) {
    return null;
  }
  const { jkk, jkm, jht } = b.value;
  const projection = jht ? projectJhtBalance({ monthlyContribution: jht.monthlyContribution, annualReturnBps: jht.illustrativeReturnBps, years: PROJECTION_YEARS }) : [];
  const milestones = milestonePoints(projection);
  return (
    <>
      <h2>{m.home.benefitsTitle}</h2>
      <dl class="facts card">
        {jkm ? (
          <>
            <dt>{m.home.benefitJkmTotal}</dt>
            <dd>{rupiah(jkm.total)}</dd>
            <dt>{fill(m.home.benefitJkmScholarship, { years: jkm.scholarship.minContributionMonths / 12 })}</dt>
            <dd>{rupiah(jkm.scholarship.maxTotal)}</dd>
          </>
        ) : null}
        {jkk ? (
          <>
            <dt>{m.home.benefitJkkMedical}</dt>
            <dd>{m.home.benefitJkkMedicalValue}</dd>
            <dt>{m.home.benefitStmb}</dt>
            <dd>{fill(m.home.benefitStmbValue, { perDay: rupiah(jkk.stmb.perDayFirstMonths) })}</dd>
            <dt>{m.home.benefitStmbAfter}</dt>
            <dd>{fill(m.home.benefitStmbValue, { perDay: rupiah(jkk.stmb.perDayAfter) })}</dd>
            <dt>{m.home.benefitDisability}</dt>
            <dd>{rupiah(jkk.totalPermanentDisability.amount)}</dd>
            <dt>{m.home.benefitDeathAccident}</dt>
            <dd>{rupiah(jkk.death.total)}</dd>
            <dt>{m.home.benefitJkkScholarship}</dt>
            <dd>{rupiah(jkk.scholarship.maxTotal)}</dd>
          </>
        ) : null}
      </dl>
      <p class="hint">{m.home.benefitsNote}</p>
      <h2>{m.home.jhtTitle}</h2>
      {jht ? (
        <>
          <p>{fill(m.home.jhtIntro, { monthly: rupiah(jht.monthlyContribution), rate: percent(jht.illustrativeReturnBps, lang) })}</p>
          <JhtChart
            points={milestones}
            title={m.home.jhtChartTitle}
            description={fill(m.home.jhtChartDesc, { points: milestones.map((pt) => `${fill(m.home.jhtYear, { n: pt.year })} ${rupiah(pt.balance)}`).join('; ') })}
            yearLabel={(y) => fill(m.home.jhtYear, { n: y })}
            balanceLabel={m.home.jhtBalance}
            contributedLabel={m.home.jhtContributed}
            formatMoney={rupiah}
            tableCaption={m.home.jhtTableCaption}
          />
        </>
      ) : (
        <p>{m.home.jhtNotChosen}</p>
      )}
    </>
  );
}
