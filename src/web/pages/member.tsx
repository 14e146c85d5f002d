import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database, Participant } from '../../db/database.js';
import { errorMessage } from '../../http/messages.js';
import { DAILY_LOCK_DETAIL, OTP_POLICY, deleteSession } from '../../modules/auth/index.js';
import { formatKpj, renderCardPdf, qrSvg } from '../../modules/cards/index.js';
import { findOpenMemberBill, findPaidBills } from '../../modules/contributions/index.js';
import { normalizePhone } from '../../modules/identity/index.js';
import { getCard, issueMemberBill, requestLoginOtp, sessionChoices, switchParticipant, verifyLoginOtp, getMemberSummary, type MemberSummary } from '../../modules/membership/index.js';
import { walletBalance } from '../../modules/wallet/index.js';
import { addMonths, localDateInJakarta } from '../../shared/month.js';
import { ChoiceGroup, CsrfInput, ErrorSummary, TextField, type FieldErrors } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatDate, formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { COOKIE } from '../portal.js';
import { StatusWord } from './card-verify.js';
import { accessibleQrSvg } from '../components/qr.js';
import { maskPhone, nationalPhone } from '../forms.js';
import { memberSession } from '../member-session.js';

/** The phone being signed in with, between the phone form and the code form: sealed, on /masuk only, ~10 minutes. */
const LOGIN_COOKIE = 'lindung_masuk';
const LOGIN_PURPOSE = 'login-phone';
const LOGIN_TTL_MS = 10 * 60_000;

interface LoginState {
  /** E.164, as normalizePhone gives it. */
  phone: string;
  /** When this browser last had a code sent (ms), for the resend cooldown shown on the page. */
  sentAt: number;
  /** Wrong codes this browser has entered for the current code. */
  wrong: number;
  locked: boolean;
  /** Locked for the rest of the day (10 wrong codes today for this phone), not only this code. */
  lockedToday?: boolean;
}

const CHANNEL_KEY = {
  va: 'channelVa',
  qris: 'channelQris',
  ewallet: 'channelEwallet',
  retail: 'channelRetail',
  counter: 'channelCounter',
  autodebit: 'channelAutodebit',
} as const;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}


function monthsText(m: Messages, lang: Lang, first: string, count: number): string {
  const n = count === 1 ? m.common.month1 : fill(m.common.months, { n: count });
  const span = count === 1 ? formatMonth(first, lang) : fill(m.member.monthRange, { from: formatMonth(first, lang), to: formatMonth(addMonths(first, count - 1), lang) });
  return `${span} (${n})`;
}

function channelText(m: Messages, channel: string | null): string {
  return channel !== null && channel in CHANNEL_KEY ? m.member[CHANNEL_KEY[channel as keyof typeof CHANNEL_KEY]] : m.member.channelUnknown;
}

function programNames(m: Messages, programs: string[]): string {
  return programs.map((p) => (p === 'JKK' || p === 'JKM' || p === 'JHT' ? m.common[`program${p}`] : p)).join(', ');
}

function SignOutForm(props: { m: Messages; csrf: string }) {
  return (
    <form method="post" action="/keluar">
      <CsrfInput token={props.csrf} />
      <button type="submit" class="btn-secondary">
        {props.m.member.signOut}
      </button>
    </form>
  );
}

export function memberRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { cookieBase, signedIn, toSignIn } = memberSession(p);
  const loginCookie = { ...cookieBase, path: '/masuk' };

  // ---- sign-in state -------------------------------------------------------------------------------------------

  function readLogin(c: PortalContext): LoginState | null {
    return p.crypto.unseal<LoginState>(LOGIN_PURPOSE, getCookie(c, LOGIN_COOKIE), deps.clock.now());
  }

  function writeLogin(c: PortalContext, state: LoginState) {
    const now = deps.clock.now();
    setCookie(c, LOGIN_COOKIE, p.crypto.seal(LOGIN_PURPOSE, state, new Date(now.getTime() + LOGIN_TTL_MS)), { ...loginCookie, maxAge: LOGIN_TTL_MS / 1000 });
  }

  /** Seconds until this browser may ask for a new code (the use case enforces the same cooldown on its side). */
  function cooldownLeft(state: LoginState): number {
    return Math.max(0, Math.ceil((state.sentAt + OTP_POLICY.resendCooldownMs - deps.clock.now().getTime()) / 1000));
  }

  // ---- pages -----------------------------------------------------------------------------------------------------

  /** A sign-in step: a title, an intro, one form of fields and a button, and what follows the form. */
  function stepPage(
    c: PortalContext,
    page: { title: string; intro: string; action: string; errors: FieldErrors; status: 200 | 422; fields: Child; button: string; after?: Child },
  ) {
    const m = messagesFor(c.get('lang'));
    return renderPage(c, p, {
      title: page.title,
      nav: 'login',
      status: page.status,
      body: (
        <>
          <h1>{page.title}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={page.errors} />
          <p>{page.intro}</p>
          <form method="post" action={page.action} class="card" data-once>
            <CsrfInput token={c.get('csrf')} />
            {page.fields}
            <button type="submit">{page.button}</button>
          </form>
          {page.after}
        </>
      ),
    });
  }

  function phonePage(c: PortalContext, phone: string, errors: FieldErrors, status: 200 | 422 = 200) {
    const m = messagesFor(c.get('lang'));
    return stepPage(c, {
      title: m.member.loginTitle,
      intro: m.member.loginIntro,
      action: '/masuk',
      errors,
      status,
      fields: (
        <TextField
          name="phone"
          label={m.member.phone}
          hint={m.member.phoneHint}
          value={phone}
          error={errors['phone']}
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          maxlength={20}
          required
        />
      ),
      button: m.member.sendCode,
      after: (
        <p>
          {m.member.notRegistered} <a href="/daftar">{m.member.registerLink}</a>
        </p>
      ),
    });
  }

  /** Why the code form is gone: this code's 5 wrong tries, or the phone's wrong codes for today. */
  function LockedNotice({ c, today }: { c: PortalContext; today: boolean }) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    return (
      <div class="notice notice-bad" role="alert" id="kunci" tabindex={-1}>
        <h2>{m.member.lockedTitle}</h2>
        {today ? (
          <>
            <p>
              <strong>{fill(m.member.lockedTodayBody, { n: OTP_POLICY.dailyWrongCodesMax })}</strong>
            </p>
            <p>{m.member.lockedTodayNext}</p>
          </>
        ) : (
          <>
            <p>
              <strong>{errorMessage('too_many_attempts', lang)}</strong>
            </p>
            <p>{m.member.lockedBody}</p>
            <p>{m.member.lockedNext}</p>
          </>
        )}
      </div>
    );
  }

  /** What the last resend did: too soon, a new code sent, or the phone's codes for today used up. */
  function CodeNotices({ c, tooSoon, sent, capped }: { c: PortalContext; tooSoon?: number | undefined; sent?: boolean | undefined; capped?: boolean | undefined }) {
    const m = messagesFor(c.get('lang'));
    return (
      <>
        {tooSoon !== undefined ? (
          <p class="notice notice-warn" role="alert">
            {fill(m.member.resendTooSoon, { s: tooSoon })}
          </p>
        ) : null}
        {sent ? (
          <p class="notice" role="status">
            {m.member.newCodeSent}
          </p>
        ) : null}
        {capped ? (
          <p class="notice notice-warn" role="alert">
            {fill(m.member.smsLimit, { n: OTP_POLICY.dailyCodesMax })}
          </p>
        ) : null}
      </>
    );
  }

  function codePage(
    c: PortalContext,
    state: LoginState,
    opts: { errors?: FieldErrors; attemptsLeft?: number; tooSoon?: number; sent?: boolean; capped?: boolean; status?: 200 | 422 | 429 } = {},
  ) {
    const m = messagesFor(c.get('lang'));
    const errors = opts.errors ?? {};
    const wait = cooldownLeft(state);
    return renderPage(c, p, {
      title: state.locked ? m.member.lockedTitle : m.member.codeTitle,
      nav: 'login',
      status: opts.status ?? 200,
      body: (
        <>
          <h1>{m.member.codeTitle}</h1>
          {state.locked ? <LockedNotice c={c} today={state.lockedToday === true} /> : <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />}
          <CodeNotices c={c} tooSoon={opts.tooSoon} sent={opts.sent} capped={opts.capped} />
          <p>{fill(m.member.codeSentTo, { phone: maskPhone(state.phone) })}</p>
          {state.locked ? null : (
            <form method="post" action="/masuk/kode" class="card">
              <CsrfInput token={c.get('csrf')} />
              <TextField
                name="code"
                label={m.member.code}
                hint={m.member.codeHint}
                error={errors['code']}
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength={OTP_POLICY.digits}
                pattern={`[0-9]{${OTP_POLICY.digits}}`}
                required
              />
              {opts.attemptsLeft !== undefined ? (
                <p class="hint" aria-live="polite">
                  {fill(m.member.attemptsLeft, { n: opts.attemptsLeft })}
                </p>
              ) : null}
              <button type="submit">{m.member.signIn}</button>
            </form>
          )}
          <h2>{m.member.resendTitle}</h2>
          <p>{m.member.resendExplain}</p>
          {wait > 0 ? <p class="hint">{fill(m.member.resendWait, { s: wait })}</p> : null}
          <form method="post" action="/masuk/kirim-ulang" class="actions">
            <CsrfInput token={c.get('csrf')} />
            <button type="submit" class={state.locked ? undefined : 'btn-secondary'}>
              {m.member.resend}
            </button>
            <a href="/masuk">{m.member.changePhone}</a>
          </form>
        </>
      ),
    });
  }

  /** Sets the session cookie for a token the sign-in (or a switch) issued. */
  function startSession(c: PortalContext, session: { token: string; expiresAt: Date }) {
    const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
    setCookie(c, COOKIE.session, session.token, { ...cookieBase, maxAge });
  }

  /** Participants sharing one phone (e.g. a husband and wife): after the code, the person chooses whose account to open. */
  function choosePage(c: PortalContext, choices: { kpj: string; nameMasked: string; current: boolean }[], errors: FieldErrors = {}, status: 200 | 422 = 200) {
    const m = messagesFor(c.get('lang'));
    return stepPage(c, {
      title: m.member.chooseTitle,
      intro: m.member.chooseIntro,
      action: '/masuk/pilih',
      errors,
      status,
      fields: (
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
      ),
      button: m.member.chooseButton,
    });
  }

  async function accountPage(c: PortalContext, summary: MemberSummary, errors: FieldErrors = {}, status: 200 | 422 = 200) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const now = deps.clock.now();
    const part = summary.participant;
    const [history, unpaid, wallet, session] = await Promise.all([
      findPaidBills(deps.db, part),
      findOpenMemberBill(deps.db, part.id, now),
      walletBalance(deps.db, part.kpj),
      sessionWithChoices(c),
    ]);
    const explain =
      summary.status === 'active'
        ? m.member.statusActiveExplain
        : summary.status === 'arrears'
          ? fill(m.member.statusArrearsExplain, { n: summary.overdueMonths.length })
          : m.member.statusInactiveExplain;
    const months = deps.rules.prepaymentOptions;
    return renderPage(c, p, {
      title: m.member.accountTitle,
      nav: 'account',
      status,
      body: (
        <>
          <h1>{m.member.accountTitle}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          <p>
            {fill(m.member.greeting, { name: part.full_name })} · {m.member.kpjLabel} <strong>{formatKpj(part.kpj)}</strong>
            {session && session.choices.length > 1 ? (
              <>
                {' · '}
                <a href="/masuk/pilih">{m.member.chooseLink}</a>
              </>
            ) : null}
          </p>

          <section aria-labelledby="status" class="card">
            <h2 id="status">{m.member.statusTitle}</h2>
            <p class="big">
              <StatusWord m={m} status={summary.status} />
            </p>
            <p>{explain}</p>
            <dl class="facts">
              <dt>{m.member.coveredThrough}</dt>
              <dd>{fill(m.member.coveredThroughValue, { month: formatMonth(summary.coveredThrough, lang) })}</dd>
              {summary.overdueMonths.length > 0 && summary.status === 'arrears' ? (
                <>
                  <dt>{m.member.overdue}</dt>
                  <dd>{summary.overdueMonths.map((mo) => formatMonth(mo, lang)).join(', ')}</dd>
                </>
              ) : null}
              <dt>{m.member.nextMonth}</dt>
              <dd>{formatMonth(summary.nextDue.month, lang)}</dd>
              <dt>{m.member.dueDate}</dt>
              <dd>{formatDate(summary.nextDue.dueDate, lang)}</dd>
              {summary.nextDue.amount > 0 ? (
                <>
                  <dt>{m.member.nextAmount}</dt>
                  <dd>{rupiah(summary.nextDue.amount)}</dd>
                </>
              ) : null}
            </dl>
          </section>

          {unpaid ? (
            <p class="notice notice-warn">
              {fill(m.member.openBill, { amount: rupiah(unpaid.amount) })} <a href={`/bayar/${unpaid.payment_code}`}>{m.member.openBillLink}</a>
            </p>
          ) : null}

          <section aria-labelledby="bayar">
            <h2 id="bayar">{m.member.payTitle}</h2>
            <p>{fill(m.member.payIntro, { month: formatMonth(summary.nextDue.month, lang) })}</p>
            <form method="post" action="/akun/bayar" class="card" data-once>
              <CsrfInput token={c.get('csrf')} />
              <ChoiceGroup
                name="months"
                legend={m.member.payMonths}
                type="radio"
                inline
                hint={unpaid ? m.member.payNewCodeNote : undefined}
                error={errors['months']}
                choices={months.map((n, i) => ({ value: String(n), label: n === 1 ? m.common.month1 : fill(m.common.months, { n }), checked: i === 0 }))}
              />
              <button type="submit">{m.member.payButton}</button>
            </form>
            <p><a href="/akun/autodebet">{m.autodebit.accountLink}</a></p>
          </section>

          <section aria-labelledby="dompet">
            <h2 id="dompet">{m.wallet.title}</h2>
            <p>{fill(m.wallet.sectionIntro, { amount: rupiah(wallet) })}</p>
            <p>
              <a class="btn btn-secondary" href="/akun/dompet">
                {m.wallet.sectionLink}
              </a>
            </p>
          </section>

          <section aria-labelledby="riwayat">
            <h2 id="riwayat">{m.member.historyTitle}</h2>
            {history.length === 0 ? (
              <p>{m.member.historyEmpty}</p>
            ) : (
              <table>
                <caption>{m.member.historyCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{m.member.colPaidAt}</th>
                    <th scope="col">{m.member.colMonths}</th>
                    <th scope="col" class="num">
                      {m.member.colAmount}
                    </th>
                    <th scope="col">{m.member.colChannel}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((b) => (
                    <tr>
                      <td>{b.paid_at ? formatInstant(b.paid_at, lang) : '—'}</td>
                      <td>{monthsText(m, lang, b.first_month, b.month_count)}</td>
                      <td class="num">{rupiah(b.amount)}</td>
                      <td>{b.kind === 'wallet' ? m.wallet.channelWallet : channelText(m, b.channel)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="kartu">
            <h2 id="kartu">{m.member.cardTitle}</h2>
            <p>{m.member.cardIntro}</p>
            <p class="actions">
              <a class="btn" href="/akun/kartu">
                {m.member.viewCard}
              </a>
              <a class="btn btn-secondary" href="/akun/kartu.pdf" download>
                {m.member.downloadCard}
              </a>
            </p>
          </section>

          <section aria-labelledby="keluar">
            <h2 id="keluar">{m.member.signOutTitle}</h2>
            <p>{m.member.signOutHint}</p>
            <SignOutForm m={m} csrf={c.get('csrf')} />
          </section>
        </>
      ),
    });
  }

  // ---- sign in ---------------------------------------------------------------------------------------------------

  app.get('/masuk', async (c) => {
    if (await signedIn(c)) {
      return c.redirect('/akun', 303);
    }
    if (c.get('sessionToken') !== undefined) {
      // An ended or expired session: forget its cookie, and show the page as signed out.
      deleteCookie(c, COOKIE.session, cookieBase);
      c.set('sessionToken', undefined);
    }
    const state = readLogin(c);
    return phonePage(c, state ? nationalPhone(state.phone) : '', {});
  });

  app.post('/masuk', async (c) => {
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const raw = str(form['phone']).slice(0, 32);
    const phone = normalizePhone(raw);
    if (!phone.ok) {
      return phonePage(c, raw, { phone: errorMessage('invalid_phone', lang) }, 422);
    }
    const now = deps.clock.now().getTime();
    const previous = readLogin(c);
    // Sending the same number again within the cooldown (back button, double tap) keeps the code already sent.
    if (!(previous && previous.phone === phone.value && cooldownLeft(previous) > 0)) {
      // The same answer whether or not the phone belongs to a participant: no account enumeration (the daily cap
      // counts every phone number alike).
      const sent = await requestLoginOtp(deps, phone.value);
      writeLogin(c, { phone: phone.value, sentAt: now, wrong: 0, locked: false });
      if (sent === 'sms_limit_reached') {
        return c.redirect('/masuk/kode?batas=1', 303);
      }
    }
    return c.redirect('/masuk/kode', 303);
  });

  app.get('/masuk/kode', (c) => {
    const state = readLogin(c);
    if (!state) {
      return c.redirect('/masuk', 303);
    }
    return codePage(c, state, { sent: c.req.query('dikirim') === '1', capped: c.req.query('batas') === '1' });
  });

  app.post('/masuk/kode', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const state = readLogin(c);
    if (!state) {
      return c.redirect('/masuk', 303);
    }
    const form = await c.req.parseBody();
    const code = str(form['code']).replace(/[\s-]/g, '');
    if (!new RegExp(`^\\d{${OTP_POLICY.digits}}$`).test(code)) {
      // A typo in the shape of the code is not an attempt: nothing is checked, nothing is counted.
      return codePage(c, state, { errors: { code: m.member.codeFormat }, status: state.locked ? 429 : 422 });
    }
    const result = await verifyLoginOtp(deps, state.phone, code);
    if (result.ok) {
      const previous = c.get('sessionToken');
      if (previous) {
        await deleteSession(deps.db, previous);
      }
      startSession(c, result.value);
      deleteCookie(c, LOGIN_COOKIE, loginCookie);
      return c.redirect(result.value.participants.length > 1 ? '/masuk/pilih' : '/akun', 303);
    }
    if (result.code === 'too_many_attempts') {
      const locked = { ...state, locked: true, lockedToday: result.detail === DAILY_LOCK_DETAIL };
      writeLogin(c, locked);
      return codePage(c, locked, { status: 429 });
    }
    // invalid_otp: wrong or expired. The use case counts the attempt; the page counts it too, to say how many are
    // left and to explain the lock as soon as the last attempt is used.
    const wrong = state.wrong + 1;
    const next = { ...state, wrong, locked: wrong >= OTP_POLICY.attemptsMax };
    writeLogin(c, next);
    if (next.locked) {
      return codePage(c, next, { status: 429 });
    }
    return codePage(c, next, { errors: { code: errorMessage('invalid_otp', lang) }, attemptsLeft: OTP_POLICY.attemptsMax - wrong, status: 422 });
  });

  app.post('/masuk/kirim-ulang', async (c) => {
    const state = readLogin(c);
    if (!state) {
      return c.redirect('/masuk', 303);
    }
    const wait = cooldownLeft(state);
    if (wait > 0) {
      return codePage(c, state, { tooSoon: wait, status: 429 });
    }
    const sentAt = deps.clock.now().getTime();
    if ((await requestLoginOtp(deps, state.phone)) === 'sms_limit_reached') {
      // No new code: the current one (and its lock, if any) stays.
      writeLogin(c, { ...state, sentAt });
      return c.redirect('/masuk/kode?batas=1', 303);
    }
    writeLogin(c, { phone: state.phone, sentAt, wrong: 0, locked: false });
    return c.redirect('/masuk/kode?dikirim=1', 303);
  });

  /** The session's token and whom it may open (null without a live session). */
  async function sessionWithChoices(c: PortalContext) {
    const token = c.get('sessionToken');
    const choices = token ? await sessionChoices(deps, token) : null;
    return token && choices ? { token, choices } : null;
  }

  app.get('/masuk/pilih', async (c) => {
    const session = await sessionWithChoices(c);
    return session ? choosePage(c, session.choices) : toSignIn(c);
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
    return choosePage(c, choices, { kpj: errorMessage(switched.code, c.get('lang')) }, 422);
  });

  app.post('/keluar', async (c) => {
    const token = c.get('sessionToken');
    if (token) {
      await deleteSession(deps.db, token);
    }
    deleteCookie(c, COOKIE.session, cookieBase);
    return c.redirect('/', 303);
  });

  // ---- member area -----------------------------------------------------------------------------------------------

  app.get('/akun', async (c) => {
    const participantId = await signedIn(c);
    const summary = participantId ? await getMemberSummary(deps, participantId) : null;
    if (!summary) {
      return toSignIn(c);
    }
    return accountPage(c, summary);
  });

  app.post('/akun/bayar', async (c) => {
    const lang = c.get('lang');
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const form = await c.req.parseBody();
    const months = Number(str(form['months']) || 'NaN');
    const issued = await issueMemberBill(deps, participantId, months);
    if (issued.ok) {
      return c.redirect(`/bayar/${issued.value.bill.paymentCode}`, 303);
    }
    if (issued.code === 'unauthorized') {
      return toSignIn(c);
    }
    const summary = await getMemberSummary(deps, participantId);
    if (!summary) {
      return toSignIn(c);
    }
    return accountPage(c, summary, { months: errorMessage(issued.code, lang) }, 422);
  });

  app.get('/akun/kartu', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const participantId = await signedIn(c);
    const card = participantId ? await getCard(deps, participantId) : null;
    if (!card) {
      return toSignIn(c);
    }
    const qr = accessibleQrSvg(await qrSvg(card.verifyUrl), fill(m.member.qrLabel, { kpj: formatKpj(card.kpj) }));
    return renderPage(c, p, {
      title: m.member.cardPageTitle,
      nav: 'account',
      body: (
        <>
          <h1>{m.member.cardPageTitle}</h1>
          <section class="member-card" aria-labelledby="kartu-judul">
            <div>
              <h2 id="kartu-judul">{m.member.cardHeading}</h2>
              <dl class="facts">
                <dt>{m.member.cardName}</dt>
                <dd>{card.fullName}</dd>
                <dt>{m.member.kpjLabel}</dt>
                <dd class="code">{formatKpj(card.kpj)}</dd>
                <dt>{m.member.cardPrograms}</dt>
                <dd>{programNames(m, card.programs)}</dd>
                <dt>{m.member.coveredThrough}</dt>
                <dd>{fill(m.member.coveredThroughValue, { month: formatMonth(card.coveredThrough, lang) })}</dd>
                <dt>{m.member.cardBranch}</dt>
                <dd>{card.branchName}</dd>
                <dt>{m.member.cardIssued}</dt>
                <dd>{formatDate(localDateInJakarta(card.issuedAt), lang)}</dd>
                <dt>{m.member.cardStatus}</dt>
                <dd>
                  <StatusWord m={m} status={card.status} />
                </dd>
              </dl>
            </div>
            <div class="qr" dangerouslySetInnerHTML={{ __html: qr }} />
          </section>
          <p class="actions">
            <a class="btn" href="/akun/kartu.pdf" download>
              {m.member.downloadCard}
            </a>
          </p>
          <p>
            {m.member.verifyLinkIntro} <a href={card.verifyUrl}>{m.member.verifyLink}</a>
          </p>
          <p>
            <a href="/akun">{m.member.backToAccount}</a>
          </p>
        </>
      ),
    });
  });

  app.get('/akun/kartu.pdf', async (c) => {
    const participantId = await signedIn(c);
    const card = participantId ? await getCard(deps, participantId) : null;
    if (!card) {
      return toSignIn(c);
    }
    const pdf = await renderCardPdf(card);
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="kartu-bpjs-${card.kpj}.pdf"`,
      'cache-control': 'private, no-store',
    });
  });
}
