import { MANDATORY_PROGRAMS, priceContribution, requireInForce } from '../../modules/contributions/index.js';
import { occupationDirectory } from '../../modules/reference/index.js';
import { monthInJakarta } from '../../shared/month.js';
import type { Deps } from '../../deps.js';
import type { PortalPage } from '../context.js';
import { fill } from '../i18n/catalogue.js';
import { rupiah } from '../i18n/format.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { SimulatorForm, type ContributionChoice } from './simulator-form.js';

/** The figure on the home page comes from the rule book: the lowest rung, without a discount, this month. */
function minimumMonthly(deps: Deps): number {
  const month = monthInJakarta(deps.clock.now());
  const lowest = requireInForce(deps.rules.incomeLadders, month, 'income ladder').rungs[0] ?? 0;
  const q = priceContribution({ declaredIncome: lowest, programs: MANDATORY_PROGRAMS, months: 1, startMonth: month, sector: 'other', funding: 'self' }, deps.rules);
  return q.ok ? q.value.total : 0;
}

/** The home page (GET /): what the programs are, how to join, and the contribution simulator's empty form. */
export const homePage: PortalPage = (app, p) => {
  app.get('/', async (c) => {
    const occupations = (await occupationDirectory(p.deps.db)).active;
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const choice: ContributionChoice = { incomeText: '', programs: ['JKK', 'JKM'], months: 1, occupationCode: '' };
    return renderPage(c, p, {
      title: m.home.title,
      nav: 'home',
      body: (
        <>
          <h1>{m.home.title}</h1>
          <p class="lead">{fill(m.home.lead, { min: rupiah(minimumMonthly(p.deps)) })}</p>
          <p class="actions">
            <a class="btn" href="/daftar">
              {m.home.ctaRegister}
            </a>
            <a class="btn btn-secondary" href="#simulasi">
              {m.home.ctaSimulate}
            </a>
          </p>
          <h2>{m.home.whatTitle}</h2>
          <ul>{[m.home.whatJKK, m.home.whatJKM, m.home.whatJHT].map((item) => <li>{item}</li>)}</ul>
          <h2>{m.home.howTitle}</h2>
          <ol>{[m.home.how1, m.home.how2, m.home.how3].map((item) => <li>{item}</li>)}</ol>
          <h2 id="simulasi">{m.home.simTitle}</h2>
          <p>{m.home.simIntro}</p>
          <SimulatorForm m={m} lang={lang} choice={choice} errors={{}} occupations={occupations} />
        </>
      ),
    });
  });
};
