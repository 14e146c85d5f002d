import type { Messages } from './i18n/messages.js';

/**
 * The links at the foot of every portal page, in order. Pages that belong there (help, terms, privacy, branch
 * directory, …) APPEND one line here: a path and the catalogue text that names it.
 */
export const FOOTER_LINKS: readonly { href: string; label: (m: Messages) => string }[] = [
  { href: '/kuitansi', label: (m) => m.shell.receiptCheckLink },
  { href: '/bantuan', label: (m) => m.info.linkHelp },
  { href: '/kantor-cabang', label: (m) => m.info.linkBranches },
  { href: '/syarat', label: (m) => m.info.linkTerms },
  { href: '/privasi', label: (m) => m.info.linkPrivacy },
];
