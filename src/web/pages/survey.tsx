import type { Hono } from 'hono';
import { answerSurvey, surveyState } from '../../modules/assisted-registration/index.js';
import { CsrfInput, ChoiceGroup, TextArea } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { field } from '../forms.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

const STARS = ['star1', 'star2', 'star3', 'star4', 'star5'] as const;

function notice(c: PortalContext, p: PortalDeps, status: 200 | 404 | 409, text: string) {
  const t = messagesFor(c.get('lang')).survey;
  return renderPage(c, p, { title: t.title, status, body: <><h1>{t.title}</h1><p role="status">{text}</p></> });
}

function formPage(c: PortalContext, p: PortalDeps, token: string, error?: string) {
  const t = messagesFor(c.get('lang')).survey;
  return renderPage(c, p, {
    title: t.title,
    ...(error ? { status: 422 as const } : {}),
    body: (
      <>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <form method="post" action={`/survei/${encodeURIComponent(token)}`} class="card" novalidate>
          <CsrfInput token={c.get('csrf')} />
          <ChoiceGroup name="rating" legend={t.ratingLegend} type="radio" error={error} choices={STARS.map((k, i) => ({ value: String(i + 1), label: t[k] }))} />
          <TextArea name="comment" label={t.comment} maxlength={500} />
          <button type="submit">{t.submit}</button>
        </form>
      </>
    ),
  });
}

/**
 * The public e-survey (issue 16 item 3): /survei/<token> from the SMS sent after a counter registration — 1 to 5
 * stars as radio buttons and an optional comment, no JavaScript; stored once per link (answerSurvey).
 */
export function surveyRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  app.get('/survei/:token', async (c) => {
    const token = (c.req.param('token') ?? '').slice(0, 64);
    const t = messagesFor(c.get('lang')).survey;
    if (c.req.query('terkirim') === '1') return notice(c, p, 200, t.thanks);
    const state = await surveyState(p.deps.db, token);
    if (state === 'unknown') return notice(c, p, 404, t.unknown);
    return state === 'answered' ? notice(c, p, 200, t.answered) : formPage(c, p, token);
  });
  app.post('/survei/:token', async (c) => {
    const token = (c.req.param('token') ?? '').slice(0, 64);
    const t = messagesFor(c.get('lang')).survey;
    const form = (await c.req.parseBody()) as Record<string, string | File>;
    const rating = Number(field(form, 'rating', 1));
    const done = await answerSurvey(p.deps, { token, rating, comment: field(form, 'comment', 500) });
    if (done.ok) return c.redirect(`/survei/${encodeURIComponent(token)}?terkirim=1`, 303);
    if (done.code === 'invalid_request') return formPage(c, p, token, t.ratingRequired);
    return done.code === 'unknown_survey' ? notice(c, p, 404, t.unknown) : notice(c, p, 409, t.answered);
  });
}
