import type { ClaimView } from '../../modules/claims/index.js';
import { HeadRow } from '../components/table.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { codeLabel, flagLabel } from './claim-texts.js';

interface Claimant {
  nikMasked?: string | null;
  fullName?: string;
  relationship?: string;
  phone?: string;
}
interface ClaimEvent {
  at?: string;
  kind?: string;
  description?: string;
  place?: string;
}


const REL = { spouse: 'relSpouse', child: 'relChild', parent: 'relParent', sibling: 'relSibling', other: 'relOther' } as const;

function Row(props: { label: string; value: string | null | undefined }) {
  return props.value ? (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </>
  ) : null;
}

/** Member and claimant; event and reason; flags with the eligibility explanations and the cover at the event. */
export function ClaimFacts(props: { m: Messages; lang: Lang; claim: ClaimView; memberName: string }) {
  const { m, lang, claim } = props;
  const t = m.staffClaims;
  const claimant = (claim.claimant ?? null) as Claimant | null;
  const event = (claim.event ?? null) as ClaimEvent | null;
  const rel = claimant?.relationship ? messagesFor(lang).heirs[REL[claimant.relationship as keyof typeof REL] ?? 'relOther'] : '';
  const cover = claim.eligibility?.coverageAtEvent ?? null;
  const explanations = claim.eligibility?.flags ?? [];
  return (
    <>
      <section aria-labelledby="peserta">
        <h2 id="peserta">{t.memberTitle}</h2>
        <dl class="staff-facts">
          <Row label={t.memberName} value={props.memberName} />
          <Row label={t.kpj} value={claim.kpj} />
          <Row label={t.submittedAt} value={formatInstant(new Date(claim.submittedAt), lang)} />
          <Row label={t.claimant} value={claimant ? fill(t.claimantText, { name: claimant.fullName ?? '—', relationship: rel, nik: claimant.nikMasked ?? '—', phone: claimant.phone ?? '—' }) : null} />
        </dl>
      </section>
      <section aria-labelledby="kejadian">
        <h2 id="kejadian">{t.eventTitle}</h2>
        <dl class="staff-facts">
          <Row label={t.reason} value={claim.reason ? codeLabel(t, 'reason', claim.reason) : null} />
          <Row label={t.eventKind} value={event?.kind ? codeLabel(t, 'event', event.kind) : null} />
          <Row label={t.eventAt} value={event?.at ? formatInstant(new Date(event.at), lang) : null} />
          <Row label={t.eventPlace} value={event?.place} />
          <Row label={t.eventDescription} value={event?.description} />
          <Row label={t.coverage} value={cover ? fill(cover.covered ? t.covered : t.notCovered, { programs: cover.programs.join(', '), month: formatMonth(cover.month, lang) }) : null} />
          <Row label={t.decisionReason} value={claim.decisionReason} />
        </dl>
      </section>
      <section aria-labelledby="tanda">
        <h2 id="tanda">{t.flagsTitle}</h2>
        {explanations.length === 0 ? (
          <p>{t.noFlags}</p>
        ) : (
          <ul>
            {explanations.map((f) => (
              <li class="notice notice-warn">
                <strong>{flagLabel(t, f.rule)}</strong>: {f.message} {f.todo}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The computed lines and their total (from verification on). */
export function ClaimLines(props: { m: Messages; claim: ClaimView }) {
  const t = props.m.staffClaims;
  const { lines, total } = props.claim;
  return (
    <section aria-labelledby="manfaat">
      <h2 id="manfaat">{t.linesTitle}</h2>
      {lines.length === 0 ? (
        <p>{t.linesPending}</p>
      ) : (
        <table class="staff-table">
          <caption>{t.linesCaption}</caption>
          <HeadRow columns={[{ label: t.colBenefit }, { label: t.colAmount, num: true }]} />
          <tbody>
            {lines.map((l) => (
              <tr>
                <td>{codeLabel(t, 'benefit', l.benefit) + (l.child ? ` — ${l.child}` : '')}</td>
                <td class="num">{rupiah(l.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.total}</th>
              <td class="num">
                <strong>{rupiah(total ?? 0)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
