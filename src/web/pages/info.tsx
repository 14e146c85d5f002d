import type { Hono } from 'hono';
import { branchDirectory, listServicePoints, type Branch } from '../../modules/reference/index.js';
import { TextField } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

type Info = Messages['info'];
type InfoKey = keyof Info;

/** The help page's sections, in the order people ask: who, how much, how to pay, late, claims, contact. */
const HELP_SECTIONS: readonly { id: string; title: InfoKey; paragraphs: readonly InfoKey[] }[] = [
  { id: 'siapa', title: 'helpWhoTitle', paragraphs: ['helpWho1', 'helpWho2'] },
  { id: 'iuran', title: 'helpCostTitle', paragraphs: ['helpCost1', 'helpCost2', 'helpCost3', 'helpCost4'] },
  { id: 'bayar', title: 'helpPayTitle', paragraphs: ['helpPay1', 'helpPay2', 'helpPay3', 'helpPay4'] },
  { id: 'telat', title: 'helpLateTitle', paragraphs: ['helpLate1', 'helpLate2', 'helpLate3'] },
  { id: 'klaim', title: 'helpClaimTitle', paragraphs: ['helpClaimJkk', 'helpClaimJkm', 'helpClaimJht', 'helpClaimAccount'] },
  { id: 'kontak', title: 'helpContactTitle', paragraphs: ['helpContact1'] },
];

/** Lower case, without accents: how the searches compare words. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Every word of the query appears in the text. */
function matches(text: string, query: string): boolean {
  const hay = folded(text);
  return folded(query)
    .split(/\s+/)
    .filter((w) => w !== '')
    .every((w) => hay.includes(w));
}

/** The help search (a GET form: works without JavaScript), also offered on the 404 and 500 pages. */
export function HelpSearch({ t, q = '' }: { t: Info; q?: string }) {
  return (
    <form method="get" action="/bantuan" class="card" role="search">
      <TextField name="q" label={t.searchLabel} value={q} maxlength={60} autocomplete="off" />
      <button type="submit">{t.searchButton}</button>
    </form>
  );
}

/** The way back from an error page: home, help, branches, and the help search. */
export function WayBack({ t }: { t: Info }) {
  return (
    <section aria-labelledby="jalan-kembali">
      <h2 id="jalan-kembali">{t.wayBackTitle}</h2>
      <ul class="link-list">
        <li>
          <a href="/">{t.wayBackHome}</a>
        </li>
        <li>
          <a href="/bantuan">{t.linkHelp}</a>
        </li>
        <li>
          <a href="/kantor-cabang">{t.linkBranches}</a>
        </li>
      </ul>
      <HelpSearch t={t} />
    </section>
  );
}

/** Under the consent checkbox of registration: the terms and the privacy notice, in a new tab (the form keeps its answers). */
export function ConsentLinks({ t }: { t: Info }) {
  return (
    <p class="hint consent-links">
      {t.consentRead}{' '}
      <a href="/syarat" target="_blank" rel="noopener">
        {t.linkTerms} {t.newTab}
      </a>{' '}
      {t.consentAnd}{' '}
      <a href="/privasi" target="_blank" rel="noopener">
        {t.linkPrivacy} {t.newTab}
      </a>
    </p>
  );
}

function helpPage(c: PortalContext, p: PortalDeps) {
  const t = messagesFor(c.get('lang')).info;
  const q = (c.req.query('q') ?? '').trim().slice(0, 60);
  const shown = q === '' ? HELP_SECTIONS : HELP_SECTIONS.filter((s) => matches([t[s.title], ...s.paragraphs.map((k) => t[k])].join(' '), q));
  return renderPage(c, p, {
    title: t.helpTitle,
    body: (
      <>
        <h1>{t.helpTitle}</h1>
        <p>{t.helpIntro}</p>
        <HelpSearch t={t} q={q} />
        {q === '' ? null : (
          <p role="status">
            {shown.length > 0 ? fill(t.helpSearchResult, { n: shown.length, q }) : fill(t.helpSearchNone, { q })} <a href="/bantuan">{t.helpSearchAll}</a>
          </p>
        )}
        {shown.map((s) => (
          <section id={s.id} aria-labelledby={`${s.id}-judul`}>
            <h2 id={`${s.id}-judul`}>{t[s.title]}</h2>
            {s.paragraphs.map((k) => (
              <p>{t[k]}</p>
            ))}
          </section>
        ))}
      </>
    ),
  });
}

/** A page of titled paragraphs under a version line (the terms and the privacy notice). */
function documentPage(c: PortalContext, p: PortalDeps, title: InfoKey, version: InfoKey, parts: readonly (readonly [InfoKey | null, InfoKey])[]) {
  const t = messagesFor(c.get('lang')).info;
  return renderPage(c, p, {
    title: t[title],
    body: (
      <>
        <h1>{t[title]}</h1>
        <p class="hint">{t[version]}</p>
        {parts.map(([heading, text]) => (
          <>
            {heading === null ? null : <h2>{t[heading]}</h2>}
            <p>{t[text]}</p>
          </>
        ))}
      </>
    ),
  });
}

const TERMS: readonly (readonly [InfoKey | null, InfoKey])[] = [
  [null, 'termsIntro'],
  [null, 'terms1'],
  [null, 'terms2'],
  [null, 'terms3'],
  [null, 'terms4'],
  [null, 'terms5'],
  [null, 'terms6'],
];

const PRIVACY: readonly (readonly [InfoKey | null, InfoKey])[] = [
  ['privacyWhoTitle', 'privacyWho'],
  ['privacyWhatTitle', 'privacyWhat'],
  ['privacyWhyTitle', 'privacyWhy'],
  ['privacyShareTitle', 'privacyShare'],
  ['privacyHowLongTitle', 'privacyHowLong'],
  ['privacyRightsTitle', 'privacyRights'],
  ['privacyContactTitle', 'privacyContact'],
];

function BranchList({ t, branches, points }: { t: Info; branches: readonly Branch[]; points: ReadonlyMap<string, string[]> }) {
  return (
    <ul class="branch-list">
      {branches.map((b) => (
        <li class="card">
          <h2>{b.name}</h2>
          <p>
            {t.branchesStreet}: {b.address ?? t.branchesNoStreet}
          </p>
          <p>
            {t.branchesAddress}: {b.city}, {b.province}
          </p>
          {b.phone ? (
            <p>
              {t.branchesPhone}: <a href={`tel:${b.phone.replace(/[^0-9+]/g, '')}`}>{b.phone}</a>
            </p>
          ) : null}
          {(points.get(b.code) ?? []).length > 0 ? (
            <p>
              {t.branchesServicePoints}: {(points.get(b.code) ?? []).join(', ')}
            </p>
          ) : null}
          <p class="hint">
            {t.branchesCode}: {b.code}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** /kantor-cabang?q=…: the active branches, searchable by city, province, name or code (a GET form, no JavaScript). */
async function branchesPage(c: PortalContext, p: PortalDeps) {
  const t = messagesFor(c.get('lang')).info;
  const q = (c.req.query('q') ?? '').trim().slice(0, 60);
  const directory = await branchDirectory(p.deps.db, p.deps.clock.now().getTime());
  const points = new Map<string, string[]>();
  for (const sp of (await listServicePoints(p.deps.db)).filter((s) => s.active)) {
    points.set(sp.branchCode, [...(points.get(sp.branchCode) ?? []), sp.name]);
  }
  const sorted = [...directory.active].sort((a, b) => a.province.localeCompare(b.province, 'id') || a.city.localeCompare(b.city, 'id') || a.name.localeCompare(b.name, 'id'));
  const shown = q === '' ? sorted : sorted.filter((b) => matches(`${b.name} ${b.city} ${b.province} ${b.code}`, q));
  return renderPage(c, p, {
    title: t.branchesTitle,
    body: (
      <>
        <h1>{t.branchesTitle}</h1>
        <p>{t.branchesIntro}</p>
        <form method="get" action="/kantor-cabang" class="card" role="search">
          <TextField name="q" label={t.branchesSearch} hint={t.branchesSearchHint} value={q} maxlength={60} autocomplete="address-level2" />
          <button type="submit">{t.searchButton}</button>
        </form>
        <p role="status">{shown.length > 0 ? fill(t.branchesFound, { n: shown.length }) : fill(t.branchesNone, { q })}</p>
        <BranchList t={t} branches={shown} points={points} />
      </>
    ),
  });
}

/** The public information pages: help, terms, privacy notice, branch directory (issue 18). */
export function infoRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  app.get('/bantuan', (c) => helpPage(c, p));
  app.get('/syarat', (c) => documentPage(c, p, 'termsTitle', 'termsVersion', TERMS));
  app.get('/privasi', (c) => documentPage(c, p, 'privacyTitle', 'privacyVersion', PRIVACY));
  app.get('/kantor-cabang', (c) => branchesPage(c, p));
}
