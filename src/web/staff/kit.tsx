import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { findStaffSession, type StaffRole } from '../../modules/staff/index.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { COOKIE } from '../cookies.js';
import { AppError, type ErrorCode } from '../../http/errors.js';
import { errorMessage } from '../../http/messages.js';
import type { FieldErrors } from '../components/form.js';
import { type FlashSlot, type Form, putFlash, takeFlash as takeSealedFlash } from '../forms.js';
import { messagesFor } from '../i18n/messages.js';
import { renderStaffPage, type StaffMember, type StaffPageOptions } from './layout.js';
import type { SectionKey } from './sections.js';

/** How long a flash message waits for the page after a form's redirect. */
const FLASH_SECONDS = 60;

type StaffHandler = (c: PortalContext, staff: StaffMember) => Response | Promise<Response>;

/** What a refused form re-renders with: the values as typed, the errors by field, a problem for the whole form. */
export interface FormView<V> {
  values: V;
  errors: FieldErrors;
  problem?: string;
  status: 409 | 422;
}

/**
 * One staff form POST (formPost): read the fields, check them, call the use case as the staff member, then
 * Post/Redirect/Get with a flash — or re-render the page with what was refused. A use case's refusal, returned as
 * `{ refused: code }` or thrown as an AppError whose code `refusals` lists, shows its message (http/messages.ts) on
 * `field` (default: the whole form) with its status; any other error is a fault (the error page).
 */
export interface FormSpec<V> {
  read(form: Form): V;
  check?(values: V, c: PortalContext): FieldErrors;
  act(values: V, staff: StaffMember, c: PortalContext): Promise<{ redirect: string; flash: string } | { refused: ErrorCode }>;
  refusals?: Partial<Record<ErrorCode, { field?: string; status: 409 | 422 }>>;
  rerender(c: PortalContext, staff: StaffMember, view: FormView<V>): Response | Promise<Response>;
}

/** Where a sign-in may send the browser back to: a console path only (never another site). */
export function safeNext(raw: string | undefined): string {
  return raw && /^\/staff(?:\/[\w\-/.?=&%]*)?$/.test(raw) && !raw.startsWith('//') ? raw : '/staff';
}

/** The refusal `code` as the form's view, or null when `spec` does not list it (a fault). */
function refusalView<V>(c: PortalContext, spec: FormSpec<V>, values: V, code: ErrorCode): FormView<V> | null {
  const where = spec.refusals?.[code];
  if (!where) {
    return null;
  }
  const text = errorMessage(code, c.get('lang'));
  return { values, status: where.status, errors: where.field ? { [where.field]: text } : {}, ...(where.field ? {} : { problem: text }) };
}

interface FormPosterParts {
  requireStaffPage(roles: readonly StaffRole[], handler: StaffHandler): (c: PortalContext) => Promise<Response>;
  readForm(c: PortalContext): Promise<Form>;
  redirectWithFlash(c: PortalContext, to: string, message: string): Response;
}

/** kit.formPost(roles, spec): requireStaffPage(roles) around one form POST (FormSpec). */
function formPoster(kit: FormPosterParts) {
  return <V,>(roles: readonly StaffRole[], spec: FormSpec<V>) =>
    kit.requireStaffPage(roles, async (c, staff) => {
      const values = spec.read(await kit.readForm(c));
      const errors = spec.check?.(values, c) ?? {};
      if (Object.keys(errors).length > 0) {
        return spec.rerender(c, staff, { values, errors, status: 422 });
      }
      let outcome: Awaited<ReturnType<FormSpec<V>['act']>>;
      try {
        outcome = await spec.act(values, staff, c);
      } catch (err) {
        const view = err instanceof AppError ? refusalView(c, spec, values, err.code) : null;
        if (!view) {
          throw err;
        }
        return spec.rerender(c, staff, view);
      }
      if ('refused' in outcome) {
        const view = refusalView(c, spec, values, outcome.refused);
        if (!view) {
          throw new AppError(outcome.refused);
        }
        return spec.rerender(c, staff, view);
      }
      return kit.redirectWithFlash(c, outcome.redirect, outcome.flash);
    });
}

/** The posted form (the portal middleware has checked its CSRF token already). */
async function readForm(c: PortalContext): Promise<Form> {
  return (await c.req.parseBody()) as Form;
}

/**
 * The staff console's page helper, one per app (console.ts makes it): the session cookie, the guard of every page,
 * the flash message of Post/Redirect/Get, and rendering in the console's frame. A page is then a GET that renders and
 * POSTs that redirect with a flash (or re-render with the errors and 409/422).
 */
export function staffKit(p: PortalDeps, mounted: ReadonlySet<SectionKey>) {
  const { deps } = p;
  /** The session cookie: HttpOnly, SameSite=Strict, Secure over https (always in production), console paths only. */
  const sessionCookie = { path: '/staff', httpOnly: true, sameSite: 'Strict' as const, secure: p.secureCookies };
  const flashSlot: FlashSlot = { cookie: COOKIE.staffFlash, purpose: 'staff-flash', path: '/staff', seconds: FLASH_SECONDS, sameSite: 'Strict' };

  async function currentStaff(c: PortalContext): Promise<StaffMember | null> {
    const token = getCookie(c, COOKIE.staffSession);
    return token ? findStaffSession(deps.db, token, deps.clock.now()) : null;
  }

  function startSession(c: PortalContext, session: { token: string; expiresAt: Date }): void {
    const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
    setCookie(c, COOKIE.staffSession, session.token, { ...sessionCookie, maxAge, expires: session.expiresAt });
  }

  function endSession(c: PortalContext): string | undefined {
    const token = getCookie(c, COOKIE.staffSession);
    deleteCookie(c, COOKIE.staffSession, sessionCookie);
    return token;
  }

  function render(c: PortalContext, page: StaffPageOptions) {
    return renderStaffPage(c, p, mounted, page);
  }

  /** The 403 page: signed in, but no role of the staff member may open this page. */
  function forbidden(c: PortalContext, staff: StaffMember) {
    const t = messagesFor(c.get('lang')).staff;
    const body = [<h1>{t.forbiddenTitle}</h1>, <p>{t.forbiddenBody}</p>, <p><a href="/staff">{t.backToHome}</a></p>];
    return render(c, { title: t.forbiddenTitle, status: 403, staff, body: <>{body}</> });
  }

  /** To the sign-in page, coming back here afterwards (a GET's address; a POST comes back to the console's Beranda). */
  function toSignIn(c: PortalContext) {
    if (getCookie(c, COOKIE.staffSession) !== undefined) {
      deleteCookie(c, COOKIE.staffSession, sessionCookie);
    }
    const back = c.req.method === 'GET' ? safeNext(new URL(c.req.url).pathname + new URL(c.req.url).search) : '/staff';
    return c.redirect(back === '/staff' ? '/staff/masuk' : `/staff/masuk?lanjut=${encodeURIComponent(back)}`, 303);
  }

  /**
   * requireStaffPage(roles): the guard of a console page. Without a live session: to the sign-in page (the 401 of a
   * page); a staff member holding none of `roles`: the 403 page in their language; otherwise the handler runs with them.
   */
  function requireStaffPage(roles: readonly StaffRole[], handler: StaffHandler) {
    return async (c: PortalContext) => {
      const staff = await currentStaff(c);
      if (!staff) {
        return toSignIn(c);
      }
      return staff.roles.some((r) => roles.includes(r)) ? handler(c, staff) : forbidden(c, staff);
    };
  }

  /** The end of a successful form: 303 to `to`, with a message the next page shows once (forms.ts putFlash). */
  function redirectWithFlash(c: PortalContext, to: string, message: string) {
    putFlash(c, p, flashSlot, message);
    return c.redirect(to, 303);
  }

  /** The flash message waiting for this page (read once: the cookie is dropped). */
  function takeFlash(c: PortalContext): string | null {
    return takeSealedFlash<string>(c, p, flashSlot);
  }

  const formPost = formPoster({ requireStaffPage, readForm, redirectWithFlash });

  return { p, deps, mounted, currentStaff, formPost, startSession, endSession, render, forbidden, requireStaffPage, redirectWithFlash, takeFlash, readForm };
}

export type StaffKit = ReturnType<typeof staffKit>;

/** One console page file: the section it serves (for the menu and Beranda; none for sign-in) and its routes. */
export interface StaffConsolePage {
  section?: SectionKey;
  mount(app: Hono<PortalEnv>, kit: StaffKit): void;
}
