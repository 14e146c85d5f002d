import type { Child } from 'hono/jsx';
import { CsrfInput, ErrorSummary, type FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps } from '../../context.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';

/** The sign-in steps built on stepPage: where the form posts, and its title, intro and button texts. */
const STEPS = {
  login: { action: '/masuk', title: 'loginTitle', intro: 'loginIntro', button: 'sendCode' },
  choose: { action: '/masuk/pilih', title: 'chooseTitle', intro: 'chooseIntro', button: 'chooseButton' },
} as const satisfies Record<string, { action: string; title: keyof Messages['member']; intro: keyof Messages['member']; button: keyof Messages['member'] }>;

/**
 * A sign-in step: a title, an intro, one form of fields (with the errors of its last post) and a button, and what
 * follows the form; `fields` and `after` are drawn in the page's language.
 */
export function stepPage(
  c: PortalContext,
  p: PortalDeps,
  step: keyof typeof STEPS,
  form: { errors: FieldErrors; status: 200 | 422 },
  fields: (m: Messages) => Child,
  after?: (m: Messages) => Child,
) {
  const m = messagesFor(c.get('lang'));
  const { action, title, intro, button } = STEPS[step];
  return renderPage(c, p, {
    title: m.member[title],
    nav: 'login',
    status: form.status,
    body: (
      <>
        <h1>{m.member[title]}</h1>
        <ErrorSummary title={m.common.errorSummaryTitle} errors={form.errors} />
        <p>{m.member[intro]}</p>
        <form method="post" action={action} class="card" data-once>
          <CsrfInput token={c.get('csrf')} />
          {fields(m)}
          <button type="submit">{m.member[button]}</button>
        </form>
        {after?.(m)}
      </>
    ),
  });
}
