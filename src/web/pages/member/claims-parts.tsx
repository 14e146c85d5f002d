import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { TitledSection } from '../../components/section.js';
import type { FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { memberSession } from '../../member-session.js';
import { AppError } from '../../../http/errors.js';
import type { Lang } from '../../i18n/catalogue.js';
import { formatDate, rupiah } from '../../i18n/format.js';
import { HeadRow } from '../../components/table.js';
import type { Messages } from '../../i18n/messages.js';

/** The claim pages' shared parts (claims-*.tsx): status and type words, the sealed flash across a redirect, the account-page section. */

export const CLAIMS_PAGE = '/akun/klaim';

const STATUS_KEY = {
  submitted: 'statusSubmitted',
  verified: 'statusVerified',
  approved: 'statusApproved',
  paid: 'statusPaid',
  rejected: 'statusRejected',
  returned: 'statusReturned',
} as const;

/** A claim status in plain words: "Dibayar", "Dikembalikan: perlu Anda lengkapi". */
export function statusWord(m: Messages, status: string): string {
  const key = STATUS_KEY[status as keyof typeof STATUS_KEY];
  return key ? m.claims[key] : status;
}

/** "JHT", "JKK (kecelakaan kerja)". */
export function typeWord(m: Messages, type: string): string {
  return type === 'JHT' ? m.claims.typeJHT : type === 'JKK' ? m.claims.typeJKK : type === 'JKM' ? m.claims.typeJKM : type;
}

const REASON_KEY = {
  stopped_working: 'reasonStopped',
  age_56: 'reasonAge',
  leaving_indonesia: 'reasonLeaving',
  total_disability: 'reasonDisability',
  partial_10: 'reasonPartial10',
  partial_30: 'reasonPartial30',
} as const;

/** The JHT reasons a member may choose in the portal (a death claim is filed by the heirs at a branch). */
export const MEMBER_JHT_REASONS = Object.keys(REASON_KEY) as (keyof typeof REASON_KEY)[];
export type MemberJhtReason = keyof typeof REASON_KEY;

export function isMemberJhtReason(s: string): s is MemberJhtReason {
  return (MEMBER_JHT_REASONS as string[]).includes(s);
}

export function reasonWord(m: Messages, reason: string): string {
  return isMemberJhtReason(reason) ? m.claims[REASON_KEY[reason]] : reason;
}

/** A benefit line's name ("Saldo JHT", "Hasil pengembangan tahun berjalan"). */
export function benefitWord(m: Messages, benefit: string): string {
  const key = `benefit_${benefit}` as keyof Messages['claims'];
  return key in m.claims ? m.claims[key] : benefit;
}

/** A refused form's answers, its field errors and the claim rules that failed, sealed across the redirect (~5 minutes). */
export interface ClaimsFlash {
  values: Record<string, string>;
  errors: FieldErrors;
  failures: { message: string; todo: string }[];
}

const FLASH_PURPOSE = 'claims-form';
const FLASH_TTL_MS = 5 * 60_000;

/** Reading (once) and writing the claim pages' flash cookie. */
export function claimsFlash(p: PortalDeps) {
  const options = cookieOptions(p.secureCookies, CLAIMS_PAGE);
  return {
    read(c: PortalContext): ClaimsFlash | null {
      const raw = getCookie(c, COOKIE.claimsForm);
      if (raw === undefined) {
        return null;
      }
      deleteCookie(c, COOKIE.claimsForm, options);
      return p.crypto.unseal<ClaimsFlash>(FLASH_PURPOSE, raw, p.deps.clock.now());
    },
    redirect(c: PortalContext, to: string, flash: ClaimsFlash) {
      const expires = new Date(p.deps.clock.now().getTime() + FLASH_TTL_MS);
      setCookie(c, COOKIE.claimsForm, p.crypto.seal(FLASH_PURPOSE, flash, expires), { ...options, maxAge: FLASH_TTL_MS / 1000 });
      return c.redirect(to, 303);
    },
  };
}

/** The rules' texts name days as 2026-12-12; people read "Sabtu, 12 Desember 2026". */
export function humanDates(text: string, lang: Lang): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => formatDate(d, lang));
}

/** Every failed rule: what failed and what to do. */
export function FailureList({ m, lang, failures }: { m: Messages; lang: Lang; failures: readonly { message: string; todo: string }[] }) {
  return (
    <ul>
      {failures.map((f) => (
        <li>
          {humanDates(f.message, lang)} <strong>{m.claims.whatToDo}</strong> {humanDates(f.todo, lang)}
        </li>
      ))}
    </ul>
  );
}

/** On the account page: the way to the claims (/akun/klaim). */
export function ClaimsSection({ m }: { m: Messages }) {
  return (
    <TitledSection id="klaim" title={m.claims.sectionTitle}>
      <p>{m.claims.sectionIntro}</p>
      <p class="actions">
        <a class="btn btn-secondary" href={CLAIMS_PAGE}>
          {m.claims.sectionLink}
        </a>
      </p>
    </TitledSection>
  );
}

/** A claim page's handler for the signed-in member (anyone else goes to the sign-in page). */
export function forMember(p: PortalDeps) {
  const { signedIn, toSignIn } = memberSession(p);
  return (handler: (c: PortalContext, participantId: string) => Promise<Response>) => async (c: PortalContext) => {
    const participantId = await signedIn(c);
    return participantId ? handler(c, participantId) : toSignIn(c);
  };
}

/** Runs a use case; its refusal (an AppError, e.g. a ClaimRefusal) becomes `refused`'s answer, anything else is thrown on. */
export async function orRefused(run: () => Promise<Response>, refused: (err: AppError) => Response): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError) {
      return refused(err);
    }
    throw err;
  }
}

export function BackToList({ m }: { m: Messages }) {
  return (
    <p>
      <a href={CLAIMS_PAGE}>{m.claims.backToList}</a>
    </p>
  );
}

/** What a claim pays (or would pay), line by line with the total. */
export function LinesTable({ m, caption, lines, total }: { m: Messages; caption: string; lines: readonly { benefit: string; amount: number; child?: string }[]; total: number }) {
  const t = m.claims;
  return (
    <table>
      <caption>{caption}</caption>
      <HeadRow columns={[{ label: t.colBenefit }, { label: t.total, num: true }]} />
      <tbody>
        {lines.map((l) => (
          <tr>
            <td>{l.child ? `${benefitWord(m, l.benefit)} (${l.child})` : benefitWord(m, l.benefit)}</td>
            <td class="num">{rupiah(l.amount)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t.total}</th>
          <td class="num">
            <strong>{rupiah(total)}</strong>
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
