import type { MemberAccountView, MemberSummary } from '../../../modules/membership/index.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { CLAIMS_PAGE } from './claims-parts.js';

/** The status tile's words: "Aktif s.d. Desember 2026", "Menunggak 2 bulan", "Nonaktif". */
export function statusTileText(m: Messages, lang: Lang, summary: Pick<MemberSummary, 'status' | 'coveredThrough' | 'overdueMonths'>): string {
  if (summary.status === 'active') {
    return fill(m.shell.tileStatusActive, { month: formatMonth(summary.coveredThrough, lang) });
  }
  return summary.status === 'arrears' ? fill(m.shell.tileStatusArrears, { n: summary.overdueMonths.length }) : m.shell.tileStatusInactive;
}

interface Tile {
  key: string;
  href: string;
  title: string;
  state: string;
}

/**
 * The member home's tiles (issue 18 item 14), in the order people use them: status, pay, card, JHT balance, claims.
 * Each is one big link (≥ 44 px, the whole tile) with its current state; the sections below hold the details.
 */
export function HomeTiles(props: { m: Messages; lang: Lang; summary: MemberSummary; unpaid: MemberAccountView['unpaid']; jhtBalance: number | null; now: Date }) {
  const { m, lang, summary, unpaid } = props;
  const tiles: Tile[] = [
    { key: 'status', href: '#status', title: m.shell.tileStatus, state: statusTileText(m, lang, summary) },
    unpaid
      ? { key: 'pay', href: `/bayar/${unpaid.payment_code}`, title: m.shell.tilePay, state: fill(m.shell.tilePayOpen, { amount: rupiah(unpaid.amount) }) }
      : { key: 'pay', href: '#bayar', title: m.shell.tilePay, state: fill(m.shell.tilePayNext, { month: formatMonth(summary.nextDue.month, lang) }) },
    { key: 'card', href: '/akun/kartu', title: m.shell.tileCard, state: m.shell.tileCardState },
    { key: 'jht', href: '/akun/jht', title: fill(m.shell.tileJht, { amount: rupiah(props.jhtBalance ?? 0) }), state: m.shell.tileJhtState },
    { key: 'claims', href: CLAIMS_PAGE, title: m.shell.tileClaims, state: m.shell.tileClaimsState },
  ];
  return (
    <>
      <nav aria-label={m.shell.tilesLabel}>
        <ul class="tiles">
          {tiles.map((t) => (
            <li>
              <a class={`tile tile-${t.key}${t.key === 'status' ? ` tile-${summary.status}` : ''}`} href={t.href}>
                <span class="tile-title">{t.title}</span>
                <span class="tile-state">{t.state}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="updated" id="diperbarui">
        {fill(m.shell.updatedAt, { when: formatInstant(props.now, lang) })}
      </p>
    </>
  );
}
