import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { ClaimRefusal, fileOwnClaim, jhtClaimPreview, jhtClaimStart, type Failure, type JhtClaimPreview } from '../../../modules/claims/index.js';
import { isLocalDate, type LocalDate } from '../../../shared/month.js';
import { ChoiceGroup, CsrfInput, TextField } from '../../components/form.js';
import { PageTop } from '../../components/page-top.js';
import { TitledSection } from '../../components/section.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { rupiah } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { BankFields, bankOf } from './claims-bank.js';
import { BackToList, LinesTable, CLAIMS_PAGE, claimsFlash, FailureList, forMember, orRefused, isMemberJhtReason, MEMBER_JHT_REASONS, reasonWord, type ClaimsFlash, type MemberJhtReason } from './claims-parts.js';
import { str } from './posted.js';

const PAGE = `${CLAIMS_PAGE}/jht`;

/** The three checks shown before filing (like the JMO app's), each with the rules that belong to it. */
const CHECKS = [
  { key: 'checkOpen', rules: ['claimInProgress'] },
  { key: 'checkBalance', rules: ['noJhtAccount', 'onlineLimit', 'npwpRequired'] },
  { key: 'checkReason', rules: null },
] as const;

function Checks({ m, lang, failures }: { m: Messages; lang: Lang; failures: readonly Failure[] }) {
  const t = m.claims;
  const grouped = new Set<string>(CHECKS.flatMap((ch) => ch.rules ?? []));
  return (
    <ul class="checks">
      {CHECKS.map((ch) => {
        const mine = failures.filter((f) => (ch.rules === null ? !grouped.has(f.rule) : (ch.rules as readonly string[]).includes(f.rule)));
        return (
          <li class={`notice ${mine.length === 0 ? '' : 'notice-bad'}`}>
            <strong>{t[ch.key]}</strong> — {mine.length === 0 ? `✓ ${t.passed}` : `✗ ${t.failed}`}
            {mine.length > 0 ? <FailureList m={m} lang={lang} failures={mine} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

function ReasonForm({ m, reason, date }: { m: Messages; reason: string; date: string }) {
  const t = m.claims;
  return (
    <form method="get" action={PAGE} class="card">
      <ChoiceGroup name="alasan" legend={t.reason} type="radio" choices={MEMBER_JHT_REASONS.map((r) => ({ value: r, label: reasonWord(m, r), checked: r === reason }))} />
      <TextField name="tanggal" type="date" label={t.reasonDate} hint={t.reasonDateHint} value={date} />
      <div class="actions">
        <button type="submit">{t.check}</button>
      </div>
    </form>
  );
}

interface Asked {
  reason: MemberJhtReason;
  date: string;
}

/** After the checks: every failed one explained (above the cap: go to a branch), or the amount and the bank account to confirm. */
function Outcome({ m, lang, csrf, asked, preview, flash }: { m: Messages; lang: Lang; csrf: string; asked: Asked; preview: JhtClaimPreview; flash: ClaimsFlash | null }) {
  const t = m.claims;
  const aboveCap = preview.failures.some((f) => f.code === 'online_limit_exceeded');
  return (
    <>
      <TitledSection id="pemeriksaan" title={t.checksTitle}>
        <Checks m={m} lang={lang} failures={preview.failures} />
        {aboveCap ? (
          <div class="notice notice-warn">
            <h2>{t.branchTitle}</h2>
            <p>{fill(t.branchText, { cap: rupiah(preview.cap) })}</p>
          </div>
        ) : null}
      </TitledSection>
      {preview.failures.length === 0 ? (
        <TitledSection id="jumlah" title={t.amountTitle}>
          <p role="status">{t.allPassed}</p>
          <LinesTable m={m} caption={t.amountCaption} lines={preview.lines} total={preview.total} />
          <p class="hint">{t.amountNote}</p>
          <form method="post" action={PAGE} class="card" data-once>
            <CsrfInput token={csrf} />
            <input type="hidden" name="alasan" value={asked.reason} />
            <input type="hidden" name="tanggal" value={asked.date} />
            <BankFields m={m} values={flash?.values ?? { accountName: preview.fullName }} errors={flash?.errors ?? {}} />
            <div class="actions">
              <button type="submit">{t.submit}</button>
            </div>
          </form>
        </TitledSection>
      ) : null}
    </>
  );
}

function askedOf(reason: string, date: string): Asked | null {
  return isMemberJhtReason(reason) ? { reason, date: isLocalDate(date) ? date : '' } : null;
}

const dateOf = (a: Asked): LocalDate | undefined => (a.reason === 'stopped_working' && a.date !== '' ? (a.date as LocalDate) : undefined);
const backTo = (a: Asked) => `${PAGE}?alasan=${a.reason}&tanggal=${a.date}`;

async function jhtPage(c: PortalContext, p: PortalDeps, participantId: string, flash: ClaimsFlash | null) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.claims;
  const asked = askedOf(c.req.query('alasan') ?? '', c.req.query('tanggal') ?? '');
  const start = await jhtClaimStart(p.deps, participantId);
  const preview = asked ? await jhtClaimPreview(p.deps, participantId, { reason: asked.reason, reasonDate: dateOf(asked) }, lang) : null;
  if (!start) {
    return null;
  }
  const errors = flash?.errors ?? {};
  return renderPage(c, p, {
    title: t.jhtTitle,
    nav: 'account',
    body: (
      <>
        <PageTop title={t.jhtTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={flash && flash.failures.length > 0 ? t.refusedTitle : undefined} />
        {flash && flash.failures.length > 0 ? <FailureList m={m} lang={lang} failures={flash.failures} /> : null}
        <p>{t.jhtIntro}</p>
        <dl class="facts card">
          <dt>{t.balanceNow}</dt>
          <dd>{rupiah(start.balance)}</dd>
          <dt>{t.accruedNow}</dt>
          <dd>{rupiah(start.accrued)}</dd>
        </dl>
        <ReasonForm m={m} reason={asked?.reason ?? ''} date={asked?.date ?? ''} />
        {asked && preview ? <Outcome m={m} lang={lang} csrf={c.get('csrf')} asked={asked} preview={preview} flash={flash} /> : null}
        <BackToList m={m} />
      </>
    ),
  });
}

/**
 * Klaim JHT, /akun/klaim/jht: the reason and date (a GET form: the checks are read-only), every check with what to
 * do, the amount (balance + this year's return, or the partial share) and the bank account; POST files the claim
 * (fileClaim) and redirects to the claim's page. Above the self-service cap the page explains going to a branch.
 */
export function registerClaimsJhtPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const member = forMember(p);
  const flash = claimsFlash(p);

  app.get(
    PAGE,
    member(async (c, participantId) => (await jhtPage(c, p, participantId, flash.read(c))) ?? c.redirect('/masuk', 303)),
  );

  app.post(
    PAGE,
    member(async (c, participantId) => {
      const lang = c.get('lang');
      const m = messagesFor(lang);
      const form = await c.req.parseBody();
      const asked = askedOf(str(form['alasan']), str(form['tanggal']));
      if (!asked) {
        return flash.redirect(c, PAGE, { values: {}, errors: { alasan: m.claims.reasonError }, failures: [] });
      }
      const { bank, values, errors } = bankOf(m, form);
      if (Object.keys(errors).length > 0) {
        return flash.redirect(c, `${backTo(asked)}#rekening`, { values, errors, failures: [] });
      }
      return orRefused(
        async () => {
          const filed = await fileOwnClaim(p.deps, participantId, { type: 'JHT', reason: asked.reason, reasonDate: dateOf(asked), bankAccount: bank, lang });
          return c.redirect(`${CLAIMS_PAGE}/${encodeURIComponent(filed.id)}?diajukan=1`, 303);
        },
        // A refusal's every failed check is shown by the page itself (the same checks, read again).
        (err) => (err instanceof ClaimRefusal ? c.redirect(`${backTo(asked)}#pemeriksaan`, 303) : flash.redirect(c, backTo(asked), { values, errors: { _form: errorMessage(err.code, lang) }, failures: [] })),
      );
    }),
  );
}
