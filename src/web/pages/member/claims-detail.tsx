import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { memberClaimWithDocuments, resubmitClaim, uploadMemberClaimDocument, type ClaimDocumentsView, type ClaimView } from '../../../modules/claims/index.js';
import { CsrfInput, SelectField } from '../../components/form.js';
import { PageTop } from '../../components/page-top.js';
import { TitledSection } from '../../components/section.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatInstant, rupiah } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { notFoundPage } from '../errors.js';
import { BackToList, LinesTable, CLAIMS_PAGE, claimsFlash, forMember, orRefused, reasonWord, statusWord, typeWord, type ClaimsFlash } from './claims-parts.js';
import { str } from './posted.js';

const pageOf = (id: string) => `${CLAIMS_PAGE}/${encodeURIComponent(id)}`;

function actorWord(m: Messages, actor: string): string {
  return actor.startsWith('participant:') ? m.claims.byYou : actor === 'system' ? m.claims.bySystem : m.claims.byOfficer;
}

/** The claim's history, oldest first: each state in plain words, when (WIB), by whom, and the officer's reason. */
function Timeline({ m, lang, claim }: { m: Messages; lang: Lang; claim: ClaimView }) {
  return (
    <ol class="timeline">
      {claim.history.map((h) => (
        <li>
          <strong>{statusWord(m, h.status)}</strong> — {formatInstant(new Date(h.at), lang)}, {actorWord(m, h.actor)}
          {h.reason && (h.status === 'returned' || h.status === 'rejected') ? <>. {h.reason}</> : null}
        </li>
      ))}
    </ol>
  );
}

function Lines({ m, claim }: { m: Messages; claim: ClaimView }) {
  const t = m.claims;
  if (claim.total === null || claim.lines.length === 0) {
    return <p>{t.linesPending}</p>;
  }
  return <LinesTable m={m} caption={t.linesCaption} lines={claim.lines} total={claim.total} />;
}

function Payout({ m, claim }: { m: Messages; claim: ClaimView }) {
  const t = m.claims;
  const payout = claim.payout;
  if (!payout) {
    return <p>{t.payoutNone}</p>;
  }
  const text = payout.status === 'paid' ? t.payoutPaid : payout.status === 'failed' ? t.payoutFailed : t.payoutPending;
  return (
    <>
      <p class={`notice${payout.status === 'failed' ? ' notice-warn' : ''}`}>
        <strong>{payout.status === 'paid' ? t.statusPaid : statusWord(m, claim.status)}</strong>. {text}
      </p>
      <dl class="facts">
        <dt>{t.payoutAmount}</dt>
        <dd>{rupiah(payout.amount)}</dd>
      </dl>
    </>
  );
}

function Documents({ m, lang, csrf, claim, docs, error }: { m: Messages; lang: Lang; csrf: string; claim: ClaimView; docs: ClaimDocumentsView; error: string | undefined }) {
  const t = m.claims;
  const open = claim.status === 'submitted' || claim.status === 'returned';
  const uploadedKinds = [...new Map(docs.documents.map((d) => [d.kind, d.label])).entries()].filter(([k]) => !docs.missing.some((x) => x.kind === k));
  const options = [...docs.missing.map((d) => ({ value: d.kind, label: d.label })), ...uploadedKinds.map(([value, label]) => ({ value, label }))];
  return (
    <>
      {!open ? null : docs.missing.length > 0 ? (
        <div class="notice notice-warn">
          <h3>{t.documentsMissing}</h3>
          <ul>
            {docs.missing.map((d) => (
              <li>{d.label}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="notice">{t.documentsComplete}</p>
      )}
      <h3>{t.documentsUploaded}</h3>
      {docs.documents.length === 0 ? (
        <p>{t.documentsNone}</p>
      ) : (
        <ul>
          {docs.documents.map((d) => (
            <li>
              {d.label} — {d.fileName ?? d.id}, {formatInstant(new Date(d.uploadedAt), lang)}
            </li>
          ))}
        </ul>
      )}
      {open && options.length > 0 ? (
        <form method="post" action={`${pageOf(claim.id)}/dokumen`} enctype="multipart/form-data" class="card" data-once>
          <CsrfInput token={csrf} />
          <SelectField name="kind" label={t.documentKind} options={options} value={docs.missing[0]?.kind} required />
          <div class={`field${error ? ' field-error' : ''}`}>
            <label for="file">{t.documentFile}</label>
            <p class="hint" id="file-hint">
              {t.documentFileHint}
            </p>
            {error ? (
              <p class="error" id="file-error">
                {error}
              </p>
            ) : null}
            <input type="file" id="file" name="file" accept="image/jpeg,image/png,application/pdf" required aria-describedby={error ? 'file-hint file-error' : 'file-hint'} aria-invalid={error ? 'true' : undefined} />
          </div>
          <div class="actions">
            <button type="submit">{t.upload}</button>
          </div>
        </form>
      ) : open ? null : (
        <p>{t.documentsClosed}</p>
      )}
    </>
  );
}

function Decision({ m, csrf, claim }: { m: Messages; csrf: string; claim: ClaimView }) {
  const t = m.claims;
  if (claim.status === 'returned') {
    return (
      <div class="notice notice-warn" id="dikembalikan">
        <h2>{t.returnedTitle}</h2>
        {claim.decisionReason ? <p>{fill(t.returnedReason, { reason: claim.decisionReason })}</p> : null}
        <p>{t.returnedTodo}</p>
        <form method="post" action={`${pageOf(claim.id)}/ajukan-ulang`}>
          <CsrfInput token={csrf} />
          <button type="submit">{t.resubmit}</button>
        </form>
      </div>
    );
  }
  if (claim.status === 'rejected') {
    return (
      <div class="notice notice-bad">
        <h2>{t.rejectedTitle}</h2>
        {claim.decisionReason ? <p>{fill(t.rejectedReason, { reason: claim.decisionReason })}</p> : null}
        <p>{t.rejectedTodo}</p>
      </div>
    );
  }
  return null;
}

function doneText(c: PortalContext, m: Messages): string | undefined {
  const t = m.claims;
  return c.req.query('diajukan') === '1' ? t.filedDone : c.req.query('diajukan-ulang') === '1' ? t.resubmitted : c.req.query('diunggah') === '1' ? t.uploaded : c.req.query('diunggah') === '2' ? t.uploadedAgain : undefined;
}

function detailPage(c: PortalContext, p: PortalDeps, view: { claim: ClaimView; documents: ClaimDocumentsView }, flash: ClaimsFlash | null) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.claims;
  const { claim } = view;
  const title = fill(t.detailTitle, { type: typeWord(m, claim.type) });
  return renderPage(c, p, {
    title,
    nav: 'account',
    body: (
      <>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={flash?.errors['file'] ? { file: flash.errors['file'] } : {}} problem={flash?.errors['_form']} done={doneText(c, m)} />
        <dl class="facts card">
          <dt>{t.colStatus}</dt>
          <dd>
            <strong>{statusWord(m, claim.status)}</strong>
          </dd>
          <dt>{t.filedOn}</dt>
          <dd>{formatInstant(new Date(claim.submittedAt), lang)}</dd>
          {claim.reason ? (
            <>
              <dt>{t.reasonOf}</dt>
              <dd>{reasonWord(m, claim.reason)}</dd>
            </>
          ) : null}
        </dl>
        {claim.flags.includes('late_report') ? <p class="notice">{t.lateNote}</p> : null}
        <Decision m={m} csrf={c.get('csrf')} claim={claim} />
        <TitledSection id="perjalanan" title={t.timelineTitle}>
          <Timeline m={m} lang={lang} claim={claim} />
        </TitledSection>
        <TitledSection id="rincian" title={t.linesTitle}>
          <Lines m={m} claim={claim} />
        </TitledSection>
        <TitledSection id="pembayaran" title={t.payoutTitle}>
          <Payout m={m} claim={claim} />
        </TitledSection>
        <TitledSection id="dokumen" title={t.documentsTitle}>
          <Documents m={m} lang={lang} csrf={c.get('csrf')} claim={claim} docs={view.documents} error={flash?.errors['file']} />
        </TitledSection>
        <BackToList m={m} />
      </>
    ),
  });
}

/**
 * One claim, /akun/klaim/{id}: status, the officer's decision (a returned claim: the reason and "Ajukan kembali",
 * POST …/ajukan-ulang), the timeline, the lines and total once verified, the payout, and the documents with the
 * missing kinds highlighted and an upload form (multipart, POST …/dokumen). Another member's claim is the 404 page.
 */
export function registerClaimsDetailPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const member = forMember(p);
  const flash = claimsFlash(p);
  const refusal = (c: PortalContext, to: string, field: 'file' | '_form', text: string) => flash.redirect(c, to, { values: {}, errors: { [field]: text }, failures: [] });

  app.get(
    `${CLAIMS_PAGE}/:id`,
    member(async (c, participantId) => {
      const view = await memberClaimWithDocuments(p.deps, participantId, c.req.param('id') ?? '', c.get('lang'));
      return view ? detailPage(c, p, view, flash.read(c)) : notFoundPage(c, p);
    }),
  );

  app.post(
    `${CLAIMS_PAGE}/:id/dokumen`,
    member(async (c, participantId) => {
      const id = c.req.param('id') ?? '';
      const lang = c.get('lang');
      const form = await c.req.parseBody();
      const file = form['file'];
      if (!(file instanceof File) || file.size === 0) {
        return refusal(c, `${pageOf(id)}#dokumen`, 'file', messagesFor(lang).claims.noFile);
      }
      return orRefused(
        async () => {
          const upload = { bytes: new Uint8Array(await file.arrayBuffer()), ...(file.name ? { fileName: file.name } : {}), ...(file.type ? { declaredType: file.type } : {}) };
          const done = await uploadMemberClaimDocument(p.deps, participantId, { claimId: id, kind: str(form['kind']), upload }, lang);
          return c.redirect(`${pageOf(id)}?diunggah=${done.created ? 1 : 2}#dokumen`, 303);
        },
        (err) => refusal(c, `${pageOf(id)}#dokumen`, 'file', errorMessage(err.code, lang)),
      );
    }),
  );

  app.post(
    `${CLAIMS_PAGE}/:id/ajukan-ulang`,
    member(async (c, participantId) => {
      const id = c.req.param('id') ?? '';
      return orRefused(
        async () => {
          await resubmitClaim(p.deps, { id, participantId });
          return c.redirect(`${pageOf(id)}?diajukan-ulang=1`, 303);
        },
        (err) => refusal(c, pageOf(id), '_form', errorMessage(err.code, c.get('lang'))),
      );
    }),
  );
}
