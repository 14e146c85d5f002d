import { CLAIM_STATUSES, claimQueue, claimStatusCounts } from '../../modules/claims/index.js';
import { AppError } from '../../http/errors.js';
import { SelectField } from '../components/form.js';
import { HeadRow } from '../components/table.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { ageInDays, flagLabel, statusLabel } from './claim-texts.js';
import type { StaffConsolePage } from './kit.js';
import { sectionRoles } from './sections.js';

/** The queue's age filter: claims older than this many days. */
export const QUEUE_AGES = [2, 7, 14, 30] as const;
const TYPES = ['JHT', 'JKK', 'JKM'] as const;
const PAGE_SIZE = 25;

type Queue = Awaited<ReturnType<typeof claimQueue>>;

/** The filters as the query string has them; anything unknown is dropped (the whole queue). */
export function queueFilters(q: (name: string) => string | undefined) {
  const status = CLAIM_STATUSES.find((s) => s === q('status'));
  const type = TYPES.find((s) => s === q('program'));
  const age = QUEUE_AGES.find((a) => String(a) === q('umur'));
  return { status, type, age };
}

function QueueTable(props: { m: Messages; lang: Lang; queue: Queue; now: Date }) {
  const t = props.m.staffClaims;
  if (props.queue.claims.length === 0) {
    return <p>{t.queueEmpty}</p>;
  }
  const cols = [t.colClaim, t.colType, t.colKpj, t.colStatus, t.colSubmitted, t.colAge, t.colFlags].map((label) => ({ label }));
  return (
    <table class="staff-table">
      <caption>{t.queueCaption}</caption>
      <HeadRow columns={[...cols, { label: t.colTotal, num: true }]} />
      <tbody>
        {props.queue.claims.map((c) => (
          <tr>
            <td>
              <a href={`/staff/klaim/${encodeURIComponent(c.id)}`}>{c.id}</a>
            </td>
            <td>{c.type}</td>
            <td>{c.kpj}</td>
            <td>{statusLabel(t, c.status)}</td>
            <td>{formatInstant(new Date(c.submittedAt), props.lang)}</td>
            <td>{fill(t.days, { n: ageInDays(new Date(c.submittedAt), props.now) })}</td>
            <td>{c.flags.map((f) => flagLabel(t, f)).join(', ') || '—'}</td>
            <td class="num">{c.total === null ? '—' : rupiah(c.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * /staff/klaim, "Antrean klaim" (claims officers and supervisors, as GET /api/v1/staff/claims): the queue oldest
 * first, filtered by status, programme and age (a GET form), the count of each state under the same filters, and
 * keyset paging (`setelah` = the queue's cursor).
 */
export const claimsQueueRoutes: StaffConsolePage = {
  section: 'claimsQueue',
  mount(app, kit) {
    app.get(
      '/staff/klaim',
      kit.requireStaffPage(sectionRoles('claimsQueue'), async (c, staff) => {
        const lang = c.get('lang');
        const m = messagesFor(lang);
        const t = m.staffClaims;
        const now = kit.deps.clock.now();
        const f = queueFilters((name) => c.req.query(name));
        const submittedBefore = f.age === undefined ? undefined : new Date(now.getTime() - f.age * 86_400_000);
        const cursor = /^[\w-]{1,200}$/.test(c.req.query('setelah') ?? '') ? c.req.query('setelah') : undefined;
        const query = { status: f.status, type: f.type, submittedBefore, limit: PAGE_SIZE };
        // A cursor that does not decode (edited by hand) shows the first page.
        const queue = await claimQueue(kit.deps, { ...query, cursor }).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'invalid_request') return claimQueue(kit.deps, query);
          throw err;
        });
        const counts = await claimStatusCounts(kit.deps, { type: f.type, submittedBefore });
        const base = new URLSearchParams({ ...(f.status ? { status: f.status } : {}), ...(f.type ? { program: f.type } : {}), ...(f.age ? { umur: String(f.age) } : {}) });
        const next = queue.nextCursor ? `/staff/klaim?${new URLSearchParams([...base, ['setelah', queue.nextCursor]])}` : null;
        const opt = (value: string, label: string) => ({ value, label });
        return kit.render(c, {
          title: t.queueTitle,
          staff,
          current: 'claimsQueue',
          flash: kit.takeFlash(c),
          body: (
            <>
              <h1>{t.queueTitle}</h1>
              <p>{t.queueIntro}</p>
              <form method="get" action="/staff/klaim" class="staff-inline" role="search">
                <SelectField name="status" label={t.filterStatus} value={f.status ?? ''} options={[opt('', t.anyStatus), ...CLAIM_STATUSES.map((s) => opt(s, statusLabel(t, s)))]} />
                <SelectField name="program" label={t.filterType} value={f.type ?? ''} options={[opt('', t.anyType), ...TYPES.map((s) => opt(s, s))]} />
                <SelectField name="umur" label={t.filterAge} value={f.age ? String(f.age) : ''} options={[opt('', t.anyAge), ...QUEUE_AGES.map((a) => opt(String(a), fill(t.ageOver, { days: a })))]} />
                <div class="field">
                  <button type="submit">{t.filterButton}</button>
                </div>
              </form>
              <section aria-labelledby="jumlah">
                <h2 id="jumlah">{t.countsTitle}</h2>
                <ul class="staff-counts">
                  {CLAIM_STATUSES.map((s) => (
                    <li>
                      <a href={`/staff/klaim?${new URLSearchParams([...[...base].filter(([k]) => k !== 'status'), ['status', s]])}`}>{statusLabel(t, s)}</a>: <strong>{counts[s]}</strong>
                    </li>
                  ))}
                </ul>
              </section>
              <QueueTable m={m} lang={lang} queue={queue} now={now} />
              <p>
                {next ? <a href={next}>{t.nextPage}</a> : null}
                {cursor ? <> {' '}<a href={`/staff/klaim?${base}`}>{t.firstPage}</a></> : null}
              </p>
            </>
          ),
        });
      }),
    );
  },
};
