import type { Hono } from 'hono';
import type { PortalDeps, PortalEnv } from '../context.js';
import { staffAccountsRoutes } from './admin-accounts.js';
import { branchesRoutes } from './admin-branches.js';
import { holidaysRoutes } from './admin-holidays.js';
import { occupationsRoutes } from './admin-occupations.js';
import { officesRoutes } from './admin-offices.js';
import { auditRoutes } from './audit.js';
import { claimDetailRoutes } from './claim-detail.js';
import { claimsQueueRoutes } from './claims-queue.js';
import { counterQueueRoutes } from './counter-queue.js';
import { counterRegisterRoutes } from './counter-register.js';
import { dashboardRoutes } from './dashboard-overview.js';
import { contactMemberRoutes } from './contact-member.js';
import { contactSearchRoutes } from './contact-search.js';
import { homeRoutes } from './home.js';
import { memberDataRoutes } from './member-data.js';
import { jhtRatesRoutes } from './jht-rates.js';
import { payoutsRoutes } from './payouts.js';
import { staffKit, type StaffConsolePage } from './kit.js';
import type { SectionKey } from './sections.js';
import { signInRoutes } from './sign-in.js';
import { partnersRoutes } from './partners.js';
import { agentsRoutes } from './agents.js';
import { agentFinanceRoutes } from './agent-finance.js';

/**
 * THE registry of the staff console's pages (one route file each under src/web/staff/). A section of the menu and of
 * Beranda (sections.ts) is shown only when its page is listed here: a new page (claims queue, claim detail, payouts)
 * is one file and one line below.
 */
const STAFF_PAGES: readonly StaffConsolePage[] = [
  signInRoutes,
  homeRoutes,
  jhtRatesRoutes,
  auditRoutes,
  claimsQueueRoutes,
  claimDetailRoutes,
  payoutsRoutes,
  counterQueueRoutes,
  dashboardRoutes,
  staffAccountsRoutes,
  holidaysRoutes,
  officesRoutes,
  contactSearchRoutes,
  contactMemberRoutes,
  memberDataRoutes,
  counterRegisterRoutes,
  occupationsRoutes,
  branchesRoutes,
  partnersRoutes,
  agentsRoutes,
  agentFinanceRoutes,
];

/** The sections whose pages are mounted. */
export const MOUNTED_SECTIONS: ReadonlySet<SectionKey> = new Set(STAFF_PAGES.flatMap((page) => (page.section ? [page.section] : [])));

/** Mounts the staff console (/staff/…) on the portal app: its middleware gives it language, CSRF and the CSP. */
export function staffConsoleRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const kit = staffKit(p, MOUNTED_SECTIONS);
  for (const page of STAFF_PAGES) {
    page.mount(app, kit);
  }
}
