import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { fundedBy, getMemberSummary, issueMemberBill, memberAccountView, type MemberSummary } from '../../../modules/membership/index.js';
import { getJhtView } from '../../../modules/jht/index.js';
import { ErrorSummary, type FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { messagesFor } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession, type MemberSession } from '../../member-session.js';
import { CardSection, Greeting, HistorySection, OpenBillNotice, PaySection, SignOutSection, StatusSection, WalletSection } from './account-sections.js';
import { ClaimsSection } from './claims-parts.js';
import { HomeTiles } from './home-tiles.js';
import { FundingNotice } from './funding-notice.js';
import { str } from './posted.js';
import { ProfileSection, SavingsSection, SertakanSection } from './savings-section.js';

async function accountPage(c: PortalContext, p: PortalDeps, session: MemberSession, summary: MemberSummary, errors: FieldErrors = {}, status: 200 | 422 = 200) {
  const { deps } = p;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const csrf = c.get('csrf');
  const [view, open, by, jht] = await Promise.all([memberAccountView(deps, summary.participant), session.sessionWithChoices(c), fundedBy(deps, summary.participant.id), getJhtView(deps, summary.participant.id)]);
  return renderPage(c, p, {
    title: m.member.accountTitle,
    nav: 'account',
    status,
    body: (
      <>
        <h1>{m.member.accountTitle}</h1>
        <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
        <Greeting m={m} summary={summary} canSwitch={open !== null && open.choices.length > 1} />
        <HomeTiles m={m} lang={lang} summary={summary} unpaid={view.unpaid} jhtBalance={jht?.balance ?? null} now={deps.clock.now()} />

        <StatusSection m={m} lang={lang} summary={summary} />
        <FundingNotice m={m} by={by} />

        <OpenBillNotice m={m} unpaid={view.unpaid} />

        <PaySection m={m} lang={lang} csrf={csrf} summary={summary} hasOpenBill={view.unpaid !== null} months={deps.rules.prepaymentOptions} errors={errors} />
        <WalletSection m={m} balance={view.walletBalance} />
        <SertakanSection m={m} />
        <SavingsSection m={m} />
        <ClaimsSection m={m} />
        <HistorySection m={m} lang={lang} history={view.history} />
        <CardSection m={m} />
        <ProfileSection m={m} />
        <SignOutSection m={m} csrf={csrf} />
      </>
    ),
  });
}

/** The account, /akun: status, cover, paying the next months (POST /akun/bayar), wallet, history, card, sign-out. */
export function registerAccountPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const session = memberSession(p);
  const { signedIn, loadSignedIn, toSignIn } = session;

  app.get('/akun', async (c) => {
    const summary = await loadSignedIn(c, getMemberSummary);
    if (!summary) {
      return toSignIn(c);
    }
    return accountPage(c, p, session, summary);
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
    return accountPage(c, p, session, summary, { months: errorMessage(issued.code, lang) }, 422);
  });
}
