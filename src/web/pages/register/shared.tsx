import { getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { errorMessage } from '../../../http/messages.js';
import type { ApplicantInput } from '../../../modules/registration/index.js';
import type { PortalContext, PortalDeps } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { MANDATORY_PROGRAMS, PROGRAMS, type Program } from '../../../modules/contributions/index.js';
import type { Lang } from '../../i18n/catalogue.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { ErrorSummary } from '../../components/form.js';
import { renderPage, type PageOptions } from '../../layout.js';

/**
 * What the registration's pages (one file each in this folder) share: the steps header, the notices, the
 * registration-id path pattern, step 1's sealed draft, and the page for an unknown registration.
 */

/**
 * A registration id in a portal path; anything else (a NUL byte, a very long id) is the not-found page before it
 * reaches the database.
 */
export const REG_ID = ':id{reg_[0-9a-zA-Z_-]{1,60}}';
const DRAFT_PURPOSE = 'registration-draft';
export const DRAFT_LIFETIME_MS = 60 * 60_000;

/** Step 1's answers, kept sealed in a cookie until step 2 sends the whole registration. */
export interface Draft extends ApplicantInput {
  address: string;
}

export type Errors = Record<string, string>;

export function readDraft(c: PortalContext, p: PortalDeps): Draft | null {
  return p.crypto.unseal<Draft>(DRAFT_PURPOSE, getCookie(c, COOKIE.registrationDraft), p.deps.clock.now());
}

export function sealDraft(p: PortalDeps, draft: Partial<Draft>): string {
  return p.crypto.seal(DRAFT_PURPOSE, draft, new Date(p.deps.clock.now().getTime() + DRAFT_LIFETIME_MS));
}

export function Steps(props: { m: Messages; current: 1 | 2 | 3 | 4 | 5 }) {
  const r = props.m.register;
  const labels = [r.step1, r.step2, r.step3, r.step4, r.step5];
  return (
    <ol class="steps" aria-label={r.stepsLabel}>
      {labels.map((l, i) => (
        <li aria-current={i + 1 === props.current ? 'step' : undefined}>{l}</li>
      ))}
    </ol>
  );
}

export function Notice(props: { text: string | undefined; tone?: 'ok' | 'warn' | 'bad' }) {
  if (!props.text) {
    return null;
  }
  return (
    <p class={`notice${props.tone === 'warn' ? ' notice-warn' : props.tone === 'bad' ? ' notice-bad' : ''}`} role="status">
      {props.text}
    </p>
  );
}

/** The message for a use case's rejection, placed on the field it concerns. */
export function rejectionError(m: Messages, lang: Lang, code: Parameters<typeof errorMessage>[0], fieldName: string | undefined): [string, string] {
  if (code === 'identity_mismatch') {
    return ['nik', m.register.errNikNotFound];
  }
  if (code === 'invalid_request') {
    if (fieldName === 'birthDate') {
      return ['birthDate', m.register.errBirthDate];
    }
    if (fieldName === 'fullName') {
      return ['fullName', m.register.errFullName];
    }
  }
  return [fieldName ?? '_form', errorMessage(code, lang)];
}

/** A page that only says something and offers one way on: a heading, a paragraph, a button link. */
export function messagePage(c: PortalContext, p: PortalDeps, page: { title: string; body: string; href: string; link: string; status?: 404 }) {
  return renderPage(c, p, {
    title: page.title,
    nav: 'register',
    ...(page.status ? { status: page.status } : {}),
    body: (
      <>
        <h1>{page.title}</h1>
        <p>{page.body}</p>
        <p>
          <a class="btn" href={page.href}>
            {page.link}
          </a>
        </p>
      </>
    ),
  });
}

export function unknownRegistration(c: PortalContext, p: PortalDeps) {
  const m = messagesFor(c.get('lang')).register;
  return messagePage(c, p, { title: m.unknownTitle, body: m.unknownBody, href: '/daftar', link: m.start, status: 404 });
}

/** A registration step's page: the steps with this one current, its heading, a notice, the errors, its intro, the rest. */
export function stepPage(
  c: PortalContext,
  p: PortalDeps,
  page: { step: 1 | 2 | 3 | 4; title: string; heading: string; status: NonNullable<PageOptions['status']>; notice?: Child; errors: Errors; intro: string; body: Child },
) {
  const m = messagesFor(c.get('lang'));
  return renderPage(c, p, {
    title: page.title,
    nav: 'register',
    status: page.status,
    body: (
      <>
        <Steps m={m} current={page.step} />
        <h1>{page.heading}</h1>
        {page.notice ?? null}
        <ErrorSummary title={m.common.errorSummaryTitle} errors={page.errors} />
        <p>{page.intro}</p>
        {page.body}
      </>
    ),
  });
}

/**
 * The simulator's choices carried into registration (issue 18 item 5): "Daftar dengan pilihan ini" links to
 * /daftar with them in the query; step 1 keeps them sealed (path /daftar) so step 2 preselects the occupation and
 * step 4 the income, programs and months.
 */
export interface RegistrationPlan {
  occupationCode: string;
  incomeText: string;
  programs: Program[];
  months: number;
}

const PLAN_PURPOSE = 'registration-plan';
const PLAN_MONTHS = [1, 3, 6, 12];

/** The plan in a query string (the simulator's field names), or null when it carries none. */
export function planFromQuery(c: PortalContext): RegistrationPlan | null {
  const q = (name: string) => (c.req.query(name) ?? '').slice(0, 40).trim();
  if (!q('occupation') && !q('income')) {
    return null;
  }
  const sent = c.req.queries('programs') ?? [];
  const months = Number(q('months'));
  return {
    occupationCode: q('occupation'),
    incomeText: q('income').slice(0, 20),
    programs: PROGRAMS.filter((pr) => MANDATORY_PROGRAMS.includes(pr) || sent.includes(pr)),
    months: PLAN_MONTHS.includes(months) ? months : 1,
  };
}

export function keepPlan(c: PortalContext, p: PortalDeps, plan: RegistrationPlan): void {
  const expires = new Date(p.deps.clock.now().getTime() + DRAFT_LIFETIME_MS);
  setCookie(c, COOKIE.registrationPlan, p.crypto.seal(PLAN_PURPOSE, plan, expires), { ...cookieOptions(p.secureCookies, '/daftar'), maxAge: DRAFT_LIFETIME_MS / 1000 });
}

export function readPlan(c: PortalContext, p: PortalDeps): RegistrationPlan | null {
  return p.crypto.unseal<RegistrationPlan>(PLAN_PURPOSE, getCookie(c, COOKIE.registrationPlan), p.deps.clock.now());
}
