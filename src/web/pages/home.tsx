import type { Hono } from 'hono';
import { discountRuleFor, priceContribution, type Quote, MANDATORY_PROGRAMS, requireInForce } from '../../modules/contributions/index.js';
import { errorMessage } from '../../http/messages.js';
import { findOccupation } from '../../modules/reference/index.js';
import { monthInJakarta } from '../../shared/month.js';
import type { PortalDeps, PortalEnv } from '../context.js';
import { ErrorSummary } from '../components/form.js';
import { QuoteTable } from '../components/quote-table.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { BenefitsSection } from './benefits-section.js';
import { monthsFromForm, programsFromForm, SimulatorForm, type ContributionChoice } from './simulator-form.js';
import { parseRupiahInput } from '../i18n/format.js';
import type { Deps } from '../../deps.js';

/** The PP 50/2025 note under a quote: until when the discount of the first month runs, or that none applies. */
export function DiscountNote(props: { m: Messages; lang: Lang; deps: Deps; quote: Quote; sector: 'transport' | 'other' }) {
  const first = props.quote.months[0];
  if (!first) {
    return null;
  }
  const rule = discountRuleFor('JKK', first.month, props.sector, 'self', props.deps.rules);
  return (
    <p class="hint">
      {rule ? fill(props.m.home.discountNote, { until: rule.validTo ? formatMonth(rule.validTo, props.lang) : '—' }) : props.m.home.noDiscountNote}
    </p>
  );
}

export function homeRoutes(app: Hono<PortalEnv>, p: PortalDeps) {
  const { deps } = p;

  /** The figure on the home page comes from the rule book: the lowest rung, without a discount, this month. */
  function minimumMonthly(): number {
    const month = monthInJakarta(deps.clock.now());
    const lowest = requireInForce(deps.rules.incomeLadders, month, 'income ladder').rungs[0] ?? 0;
    const q = priceContribution({ declaredIncome: lowest, programs: MANDATORY_PROGRAMS, months: 1, startMonth: month, sector: 'other', funding: 'self' }, deps.rules);
    return q.ok ? q.value.total : 0;
  }

  app.get('/', (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const choice: ContributionChoice = { incomeText: '', programs: ['JKK', 'JKM'], months: 1, occupationCode: '' };
    return renderPage(c, p, {
      title: m.home.title,
      nav: 'home',
      body: (
        <>
          <h1>{m.home.title}</h1>
          <p class="lead">{fill(m.home.lead, { min: rupiah(minimumMonthly()) })}</p>
          <p class="actions">
            <a class="btn" href="/daftar">
              {m.home.ctaRegister}
            </a>
            <a class="btn btn-secondary" href="#simulasi">
              {m.home.ctaSimulate}
            </a>
          </p>
          <h2>{m.home.whatTitle}</h2>
          <ul>
            <li>{m.home.whatJKK}</li>
            <li>{m.home.whatJKM}</li>
            <li>{m.home.whatJHT}</li>
          </ul>
          <h2>{m.home.howTitle}</h2>
          <ol>
            <li>{m.home.how1}</li>
            <li>{m.home.how2}</li>
            <li>{m.home.how3}</li>
          </ol>
          <h2 id="simulasi">{m.home.simTitle}</h2>
          <p>{m.home.simIntro}</p>
          <SimulatorForm m={m} lang={lang} choice={choice} errors={{}} />
        </>
      ),
    });
  });

  app.get('/simulasi', (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const incomeText = (c.req.query('income') ?? '').slice(0, 20);
    const occupation = findOccupation(c.req.query('occupation') ?? '');
    const choice: ContributionChoice = {
      incomeText,
      programs: programsFromForm(c.req.queries('programs') ?? []),
      months: monthsFromForm(c.req.query('months')),
      occupationCode: occupation?.code ?? '',
    };
    const asked = c.req.query('income') !== undefined;
    const income = parseRupiahInput(incomeText);
    const errors: Record<string, string> = {};
    let quote: Quote | null = null;
    const sector = occupation?.sector ?? 'other';
    const startMonth = monthInJakarta(deps.clock.now());
    if (asked) {
      if (income === null) {
        errors['income'] = m.home.incomeInvalid;
      } else {
        const q = priceContribution({ declaredIncome: income, programs: choice.programs, months: choice.months, startMonth, sector, funding: 'self' }, deps.rules);
        if (q.ok) {
          quote = q.value;
        } else {
          errors[q.code === 'income_below_minimum' ? 'income' : q.field ?? 'income'] = errorMessage(q.code, lang);
        }
      }
    }
    return renderPage(c, p, {
      title: m.home.simTitle,
      nav: 'simulator',
      status: Object.keys(errors).length > 0 ? 422 : 200,
      body: (
        <>
          <h1>{m.home.simTitle}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          {quote && income !== null ? (
            <section aria-labelledby="hasil">
              <h2 id="hasil">{m.home.resultTitle}</h2>
              <p>{fill(m.home.resultIntro, { income: rupiah(income), month: formatMonth(startMonth, lang) })}</p>
              <QuoteTable m={m} lang={lang} quote={quote} caption={fill(m.home.payTotal, { n: choice.months, total: rupiah(quote.total) })} />
              <DiscountNote m={m} lang={lang} deps={deps} quote={quote} sector={sector} />
              <BenefitsSection m={m} lang={lang} deps={deps} income={income} programs={choice.programs} quote={quote} />
              <p class="actions">
                <a class="btn" href="/daftar">
                  {m.home.registerWithThis}
                </a>
              </p>
            </section>
          ) : (
            <p>{m.home.simIntro}</p>
          )}
          <SimulatorForm m={m} lang={lang} choice={choice} errors={errors} />
        </>
      ),
    });
  });
}
