import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { formatKpj } from '../../../modules/cards/index.js';
import { switchParticipant } from '../../../modules/membership/index.js';
import { ChoiceGroup, type FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { redirectWithErrors, takeFormFlash } from '../../forms.js';
import { fill } from '../../i18n/catalogue.js';
import { memberSession } from '../../member-session.js';
import { str } from './posted.js';
import { stepPage } from './step-page.js';

/** Participants sharing one phone (e.g. a husband and wife): after the code, the person chooses whose account to open. */
function choosePage(
  c: PortalContext,
  p: PortalDeps,
  choices: { kpj: string; nameMasked: string; current: boolean }[],
  errors: FieldErrors = {},
  status: 200 | 422 = 200,
) {
  return stepPage(c, p, 'choose', { errors, status }, (m) => (
    <ChoiceGroup
      name="kpj"
      legend={m.member.chooseLegend}
      type="radio"
      error={errors['kpj']}
      choices={choices.map((x) => ({
        value: x.kpj,
        label: `${fill(m.member.chooseOption, { name: x.nameMasked, kpj: formatKpj(x.kpj) })}${x.current ? ` ${m.member.chooseCurrent}` : ''}`,
        checked: x.current,
      }))}
    />
  ));
}

/** The choice of participant, /masuk/pilih: whose account a session signed in with a shared phone opens. */
export function registerChoosePage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { sessionWithChoices, startSession, toSignIn } = memberSession(p);

  app.get('/masuk/pilih', async (c) => {
    const session = await sessionWithChoices(c);
    if (!session) {
      return toSignIn(c);
    }
    const refused = takeFormFlash<null>(c, p);
    return refused ? choosePage(c, p, session.choices, refused.errors, 422) : choosePage(c, p, session.choices);
  });

  app.post('/masuk/pilih', async (c) => {
    const session = await sessionWithChoices(c);
    if (!session) {
      return toSignIn(c);
    }
    const { token, choices } = session;
    const kpj = str((await c.req.parseBody())['kpj']).slice(0, 32);
    if (choices.some((x) => x.current && x.kpj === kpj)) {
      return c.redirect('/akun', 303);
    }
    const switched = await switchParticipant(deps, token, kpj);
    if (switched.ok) {
      startSession(c, switched.value);
      return c.redirect('/akun', 303);
    }
    if (switched.code === 'unauthorized') {
      return toSignIn(c);
    }
    // Post/Redirect/Get (forms.ts): the refusal waits for the page's GET.
    return redirectWithErrors(c, p, '/masuk/pilih', { values: null, errors: { kpj: errorMessage(switched.code, c.get('lang')) }, status: 422 });
  });
}
