/**
 * The portal's cookies, one definition for every page and the middleware (portal.ts): their names and attributes.
 * Its own file so that pages need not import portal.ts (which imports the pages).
 */
export const COOKIE = {
  /** The language chosen with ?lang=… (readable by the page's script: not httpOnly). */
  lang: 'lindung_bahasa',
  /** A random id per browser; the CSRF tokens are derived from it. */
  browser: 'lindung_b',
  /** The member's session token (member area). */
  session: 'lindung_sesi',
  /** Registration step 1's answers, sealed, until step 2 creates the registration (path /daftar). */
  registrationDraft: 'lindung_draf',
  /** The phone being signed in with, between the phone form and the code form, sealed (path /masuk). */
  login: 'lindung_masuk',
  /** The staff console's session token (path /staff, SameSite=Strict, src/web/staff/kit.ts). */
  staffSession: 'lindung_staf',
  /** The staff console's one-shot message after a form's redirect (sealed, path /staff). */
  staffFlash: 'lindung_staf_pesan',
  /** The heirs form's last try and its errors, sealed, across the redirect after a refused POST (path /akun/ahli-waris). */
  heirsForm: 'lindung_ahli_waris',
  /** A claim form's last try and its errors (or a claim page's refusal), sealed, across the redirect (path /akun/klaim). */
  claimsForm: 'lindung_klaim',
  /** The registration this browser started (its id, sealed; path /daftar), for /daftar/formulir-1a.pdf. */
  registration: 'lindung_daftar',
  /** The profile forms' last try and its errors, sealed, across the redirect after a refused POST (path /akun/profil). */
  profileForm: 'lindung_profil',
  /** A refused portal form's values, errors and status, sealed, across its Post/Redirect/Get (src/web/forms.ts; 10 min). */
  formFlash: 'lindung_formulir',
  /** The simulator's choices carried into registration ("Daftar dengan pilihan ini"), sealed, path /daftar, 1 hour. */
  registrationPlan: 'lindung_rencana',
} as const;

/** How long the language and browser cookies live. */
export const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** The attributes of every portal cookie: the whole site (or `path`), httpOnly, SameSite=Lax, Secure over https. */
export function cookieOptions(secure: boolean, path = '/') {
  return { path, httpOnly: true, sameSite: 'Lax' as const, secure };
}
