import type { Hono } from 'hono';
import { formatKpj, qrSvg, renderCardPdf } from '../../../modules/cards/index.js';
import { getCard, type CardData } from '../../../modules/membership/index.js';
import { localDateInJakarta } from '../../../shared/month.js';
import { LogoMark } from '../../components/logo.js';
import { accessibleQrSvg } from '../../components/qr.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatDate, formatInstant, formatMonth } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';
import { StatusWord } from '../card-verify.js';

function programNames(m: Messages, programs: string[]): string {
  return programs.map((p) => (p === 'JKK' || p === 'JKM' || p === 'JHT' ? m.common[`program${p}`] : p)).join(', ');
}

/** What the card says about the cover: "Aktif s.d. Desember 2026", or the status word and the last covered month. */
export function CoverLine({ m, lang, status, coveredThrough }: { m: Messages; lang: Lang; status: CardData['status']; coveredThrough: string }) {
  const month = formatMonth(coveredThrough, lang);
  return status === 'active' ? (
    <>{fill(m.shell.tileStatusActive, { month })}</>
  ) : (
    <>
      <StatusWord m={m} status={status} /> · {fill(m.member.coveredThroughValue, { month })}
    </>
  );
}

/**
 * The card itself, in the proportions of a bank card (ID-1, 85.60 × 53.98 mm): the mark, the name, the KPJ on one
 * line, the cover, and the QR code beside them, all within the first screen of a 360×800 phone.
 */
function CardFront({ m, lang, card, qr }: { m: Messages; lang: Lang; card: CardData; qr: string }) {
  return (
    <section class="member-card" aria-labelledby="kartu-judul">
      <div class="member-card-top">
        <LogoMark size={24} />
        <h2 id="kartu-judul">{m.member.cardHeading}</h2>
      </div>
      <dl class="member-card-facts">
        <dt>{m.member.cardName}</dt>
        <dd class="member-card-name">{card.fullName}</dd>
        <dt>{m.member.kpjLabel}</dt>
        <dd class="member-card-kpj">{formatKpj(card.kpj)}</dd>
        <dt>{m.member.cardStatus}</dt>
        <dd>
          <CoverLine m={m} lang={lang} status={card.status} coveredThrough={card.coveredThrough} />
        </dd>
      </dl>
      <div class="qr" dangerouslySetInnerHTML={{ __html: qr }} />
    </section>
  );
}

/** The rest of the card's facts, below it. */
function CardFacts({ m, lang, card }: { m: Messages; lang: Lang; card: CardData }) {
  return (
    <dl class="facts card">
      <dt>{m.member.cardPrograms}</dt>
      <dd>{programNames(m, card.programs)}</dd>
      <dt>{m.member.coveredThrough}</dt>
      <dd>{fill(m.member.coveredThroughValue, { month: formatMonth(card.coveredThrough, lang) })}</dd>
      <dt>{m.member.cardBranch}</dt>
      <dd>{card.branchName}</dd>
      <dt>{m.member.cardIssued}</dt>
      <dd>{formatDate(localDateInJakarta(card.issuedAt), lang)}</dd>
    </dl>
  );
}

/** The digital card, /akun/kartu (HTML with its QR code) and /akun/kartu.pdf (the download). */
export function registerCardPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { loadSignedIn, toSignIn } = memberSession(p);

  app.get('/akun/kartu', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const card = await loadSignedIn(c, getCard);
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
          <CardFront m={m} lang={lang} card={card} qr={qr} />
          <p class="updated" id="diperbarui">
            {fill(m.shell.updatedAt, { when: formatInstant(p.deps.clock.now(), lang) })}
          </p>
          <p class="hint">{m.shell.installHint}</p>
          <CardFacts m={m} lang={lang} card={card} />
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
    const card = await loadSignedIn(c, getCard);
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
