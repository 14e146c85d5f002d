import type { Deps } from '../../deps.js';
import { errorMessage } from '../../http/messages.js';
import { priceContribution, type Quote, type Sector } from '../../modules/contributions/index.js';
import { occupationDirectory, type OccupationDirectory } from '../../modules/reference/index.js';
import { monthInJakarta } from '../../shared/month.js';
import { DiscountNote } from '../components/discount-note.js';
import { ErrorSummary } from '../components/form.js';
import { QuoteTable } from '../components/quote-table.js';
import type { PortalContext, PortalPage } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, parseRupiahInput, rupiah } from '../i18n/format.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { BenefitsSection } from './benefits-section.js';
import { monthsFromForm, programsFromForm, SimulatorForm, type ContributionChoice } from './simulator-form.js';

interface Simulation {
  choice: ContributionChoice;
  income: number | null;
  sector: Sector;
  startMonth: string;
  quote: Quote | null;
  errors: Record<string, string>;
}

/** The simulator's answers from the query string, and the quote (or what is wrong) once an income was asked for. */
function simulate(c: PortalContext, deps: Deps, lang: Lang, occupations: OccupationDirectory): Simulation {
  const incomeText = (c.req.query('income') ?? '').slice(0, 20);
  const occupation = occupations.find(c.req.query('occupation') ?? '');
  const choice: ContributionChoice = {
    incomeText,
    programs: programsFromForm(c.req.queries('programs') ?? []),
    months: monthsFromForm(c.req.query('months')),
    occupationCode: occupation?.code ?? '',
  };
  const income = parseRupiahInput(incomeText);
  const sector = occupation?.sector ?? 'other';
  const startMonth = monthInJakarta(deps.clock.now());
  const simulation: Simulation = { choice, income, sector, startMonth, quote: null, errors: {} };
  if (c.req.query('income') === undefined) {
    return simulation;
  }
  if (income === null) {
    simulation.errors['income'] = messagesFor(lang).home.incomeInvalid;
    return simulation;
  }
  const q = priceContribution({ declaredIncome: income, programs: choice.programs, months: choice.months, startMonth, sector, funding: 'self' }, deps.rules);
  if (q.ok) {
    simulation.quote = q.value;
  } else {
    simulation.errors[q.code === 'income_below_minimum' ? 'income' : q.field ?? 'income'] = errorMessage(q.code, lang);
  }
  return simulation;
}

/**
 * "Daftar dengan pilihan ini": registration with the simulator's choices in the query (issue 18 item 5); step 1 keeps
 * them (register/shared.tsx keepPlan) for steps 2 and 4.
 */
function registerHref(choice: ContributionChoice): string {
  const q = new URLSearchParams();
  if (choice.occupationCode) q.set('occupation', choice.occupationCode);
  q.set('income', choice.incomeText);
  for (const pr of choice.programs) q.append('programs', pr);
  q.set('months', String(choice.months));
  return `/daftar?${q.toString()}`;
}

/** The contribution simulator (GET /simulasi): a GET form, so a result is a link that can be shared. */
export const simulatorPage: PortalPage = (app, p) => {
  app.get('/simulasi', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const occupations = await occupationDirectory(p.deps.db);
    const { choice, income, sector, startMonth, quote, errors } = simulate(c, p.deps, lang, occupations);
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
              <DiscountNote m={m} lang={lang} deps={p.deps} quote={quote} sector={sector} />
              <BenefitsSection m={m} lang={lang} deps={p.deps} income={income} programs={choice.programs} quote={quote} />
              <p class="actions">
                <a class="btn" href={registerHref(choice)}>
                  {m.home.registerWithThis}
                </a>
              </p>
            </section>
          ) : (
            <p>{m.home.simIntro}</p>
          )}
          <SimulatorForm m={m} lang={lang} choice={choice} errors={errors} occupations={occupations.active} />
        </>
      ),
    });
  });
};
