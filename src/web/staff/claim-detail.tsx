import { claimDocumentsView, readClaimDocument, staffClaimView, type ClaimDocumentsView, type ClaimView } from '../../modules/claims/index.js';
import { documentStoreFromConfig } from '../../modules/documents/index.js';
import { findParticipantByKpj } from '../../modules/membership/index.js';
import { AppError } from '../../http/errors.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { notFoundPage } from '../pages/errors.js';
import { ClaimActions, mountClaimActions, type ActionView } from './claim-actions.js';
import { ClaimFacts, ClaimLines } from './claim-facts.js';
import { payoutStatusLabel, statusLabel } from './claim-texts.js';
import type { StaffMember } from './layout.js';
import type { StaffConsolePage, StaffKit } from './kit.js';
import { rolesForEndpoints, sectionRoles } from './sections.js';

function Documents(props: { m: Messages; lang: Lang; claimId: string; docs: ClaimDocumentsView | null }) {
  const t = props.m.staffClaims;
  const docs = props.docs?.documents ?? [];
  const missing = props.docs?.missing ?? [];
  return (
    <section aria-labelledby="dokumen">
      <h2 id="dokumen">{t.documentsTitle}</h2>
      {docs.length === 0 ? (
        <p>{t.noDocuments}</p>
      ) : (
        <table class="staff-table">
          <caption>{t.documentsCaption}</caption>
          <HeadRow columns={[{ label: t.colDocument }, { label: t.colUploaded }, { label: t.colFile }]} />
          <tbody>
            {docs.map((d) => (
              <tr>
                <td>{d.label}</td>
                <td>{`${formatInstant(new Date(d.uploadedAt), props.lang)} · ${d.uploadedBy}`}</td>
                <td>
                  <a href={`/staff/klaim/${encodeURIComponent(props.claimId)}/dokumen/${encodeURIComponent(d.id)}`}>{fill(t.download, { kind: d.label })}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {missing.length === 0 ? (
        <p>{t.noneMissing}</p>
      ) : (
        <div class="notice notice-warn">
          <h3>{t.missingTitle}</h3>
          <ul>
            {missing.map((d) => (
              <li>
                <strong>{d.label}</strong>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function History(props: { m: Messages; lang: Lang; claim: ClaimView }) {
  const t = props.m.staffClaims;
  return (
    <section aria-labelledby="riwayat">
      <h2 id="riwayat">{t.historyTitle}</h2>
      <ol class="staff-timeline">
        {props.claim.history.map((h) => (
          <li>
            <time datetime={h.at}>{formatInstant(new Date(h.at), props.lang)}</time> — {fill(t.historyItem, { status: statusLabel(t, h.status), actor: h.actor })}
            {h.reason ? <>: {h.reason}</> : null}
          </li>
        ))}
      </ol>
      <h2 id="pembayaran">{t.payoutTitle}</h2>
      <p>{props.claim.payout ? fill(t.payoutStatus, { status: payoutStatusLabel(t, props.claim.payout.status), amount: rupiah(props.claim.payout.amount) }) : t.payoutNone}</p>
    </section>
  );
}

/** The claim's page: facts, documents, lines, history, payout and the forms the staff member's roles allow now. */
export async function claimPage(c: PortalContext, kit: StaffKit, staff: StaffMember, id: string, view: ActionView = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffClaims;
  let claim: ClaimView;
  try {
    claim = await staffClaimView(kit.deps, id, lang);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') {
      return notFoundPage(c, kit.p);
    }
    throw err;
  }
  const [docs, member] = await Promise.all([claimDocumentsView(kit.deps.db, id, lang), findParticipantByKpj(kit.deps.db, claim.kpj)]);
  const title = fill(t.detailTitle, { type: claim.type, id: claim.id });
  return kit.render(c, {
    title,
    staff,
    current: 'claimsQueue',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <p>
          <a href="/staff/klaim">{t.backToQueue}</a>
        </p>
        <h1>{title}</h1>
        <p>
          <strong>{statusLabel(t, claim.status)}</strong>
        </p>
        <ClaimFacts m={m} lang={lang} claim={claim} memberName={member?.full_name ?? '—'} />
        <Documents m={m} lang={lang} claimId={claim.id} docs={docs} />
        <ClaimLines m={m} claim={claim} />
        <History m={m} lang={lang} claim={claim} />
        <ClaimActions c={c} m={m} staff={staff} claim={claim} view={view} />
      </>
    ),
  });
}

/**
 * /staff/klaim/{id}, "Detail klaim" (claims officers and supervisors, as GET /api/v1/staff/claims/{id}) and the
 * download of one of its documents (as GET …/documents/{docId}: the stored bytes as an attachment, never inline).
 * The officers' forms (claim-actions.tsx) post to /staff/klaim/{id}/verifikasi|setujui|tolak|kembalikan.
 */
export const claimDetailRoutes: StaffConsolePage = {
  mount(app, kit) {
    const store = documentStoreFromConfig(kit.deps.config);
    mountClaimActions(app, kit, (c, staff, id, view) => claimPage(c, kit, staff, id, view));
    app.get(
      '/staff/klaim/:id',
      kit.requireStaffPage(sectionRoles('claimsQueue'), (c, staff) => claimPage(c, kit, staff, (c.req.param('id') ?? '').slice(0, 64))),
    );
    app.get(
      '/staff/klaim/:id/dokumen/:docId',
      kit.requireStaffPage(rolesForEndpoints(['GET /api/v1/staff/claims/{id}/documents/{docId}']), async (c, staff) => {
        const ids = { claimId: (c.req.param('id') ?? '').slice(0, 64), documentId: (c.req.param('docId') ?? '').slice(0, 64) };
        const file = await readClaimDocument(kit.deps, store, ids, { kind: 'staff', actor: staff.username });
        if (!file) {
          return notFoundPage(c, kit.p);
        }
        const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' }[file.contentType] ?? 'bin';
        return c.body(new Uint8Array(file.bytes), 200, {
          'Content-Type': file.contentType,
          'Content-Disposition': `attachment; filename="${ids.documentId.replace(/[^\w-]/g, '')}.${ext}"`,
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cache-Control': 'private, no-store',
        });
      }),
    );
  },
};
