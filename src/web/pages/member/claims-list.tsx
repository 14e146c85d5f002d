import type { Hono } from 'hono';
import { memberClaims, type ClaimView } from '../../../modules/claims/index.js';
import { TitledSection } from '../../components/section.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatInstant, rupiah } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';
import { CLAIMS_PAGE, statusWord, typeWord } from './claims-parts.js';

function ClaimCard({ m, lang, claim }: { m: Messages; lang: Lang; claim: ClaimView }) {
  const t = m.claims;
  const filed = formatInstant(new Date(claim.submittedAt), lang);
  return (
    <li class="card">
      <h3>{typeWord(m, claim.type)}</h3>
      <dl class="facts">
        <dt>{t.colFiled}</dt>
        <dd>{filed}</dd>
        <dt>{t.colStatus}</dt>
        <dd>
          <strong>{statusWord(m, claim.status)}</strong>
        </dd>
        {claim.total !== null ? (
          <>
            <dt>{t.colTotal}</dt>
            <dd>{rupiah(claim.total)}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <a class="btn btn-secondary" href={`${CLAIMS_PAGE}/${encodeURIComponent(claim.id)}`} aria-label={fill(t.openLabel, { type: typeWord(m, claim.type), date: filed })}>
          {t.open}
        </a>
      </p>
    </li>
  );
}

/** Klaim, /akun/klaim: the member's claims (newest first) with their status in plain words, and the ways to file one. */
export function registerClaimsListPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { loadSignedIn, toSignIn } = memberSession(p);

  app.get(CLAIMS_PAGE, async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const t = m.claims;
    const list = await loadSignedIn(c, memberClaims);
    if (!list) {
      return toSignIn(c);
    }
    return renderPage(c, p, {
      title: t.title,
      nav: 'account',
      body: (
        <>
          <h1>{t.title}</h1>
          <p>{t.intro}</p>
          <TitledSection id="ajukan-klaim" title={t.fileNew} class="card">
            <ul>
              <li>
                <a href={`${CLAIMS_PAGE}/jht`}>{t.fileJht}</a> — {t.fileJhtHint}
              </li>
              <li>
                <a href={`${CLAIMS_PAGE}/jkk`}>{t.fileJkk}</a> — {t.fileJkkHint}
              </li>
            </ul>
          </TitledSection>
          <TitledSection id="daftar-klaim" title={t.listTitle}>
            {list.length === 0 ? (
              <p>{t.listEmpty}</p>
            ) : (
              <ol class="claims" aria-label={t.listCaption}>
                {list.map((claim) => (
                  <ClaimCard m={m} lang={lang} claim={claim} />
                ))}
              </ol>
            )}
          </TitledSection>
          <p>
            <a href="/akun">{t.back}</a>
          </p>
        </>
      ),
    });
  });
}
