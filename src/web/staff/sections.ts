import { rolesAllowed, STAFF_ROLES, type StaffRole } from '../../modules/staff/index.js';
import type { Messages } from '../i18n/messages.js';

type StaffTexts = Messages['staff'];

/**
 * THE table of the console's sections: where each lives, its menu label and Beranda blurb, and the staff API
 * endpoints its page calls (keys of STAFF_POLICY, `METHOD /api/v1/path`). Who sees a section is DERIVED from the
 * policy: the roles that may call every one of its endpoints. So the menu never offers what the API would refuse, and
 * the page's guard (requireStaffPage) checks the same roles. An endpoint not (yet) in the policy leaves its section
 * to nobody. A section is shown only when a page for it is mounted (the registry in console.ts).
 */
export const CONSOLE_SECTIONS = {
  claimsQueue: { href: '/staff/klaim', label: 'navClaimsQueue', blurb: 'blurbClaimsQueue', api: ['GET /api/v1/staff/claims'] },
  payouts: { href: '/staff/pembayaran-manfaat', label: 'navPayouts', blurb: 'blurbPayouts', api: ['GET /api/v1/staff/payouts'] },
  jhtRates: { href: '/staff/tarif-jht', label: 'navJhtRates', blurb: 'blurbJhtRates', api: ['PUT /api/v1/staff/jht-rates/{year}'] },
  audit: { href: '/staff/audit', label: 'navAudit', blurb: 'blurbAudit', api: ['GET /api/v1/staff/audit'] },
  counterQueue: { href: '/staff/antrean', label: 'navCounterQueue', blurb: 'blurbCounterQueue', api: ['GET /api/v1/staff/queue'] },
  dashboards: {
    href: '/staff/dasbor',
    label: 'navDashboards',
    blurb: 'blurbDashboards',
    api: ['GET /api/v1/staff/dashboards/new-members', 'GET /api/v1/staff/dashboards/membership-status', 'GET /api/v1/staff/dashboards/collections', 'GET /api/v1/staff/dashboards/claims', 'GET /api/v1/staff/dashboards/payouts'],
  },
  staffAccounts: {
    href: '/staff/akun',
    label: 'navStaffAccounts',
    blurb: 'blurbStaffAccounts',
    api: ['GET /api/v1/staff/accounts', 'POST /api/v1/staff/accounts', 'PATCH /api/v1/staff/accounts/{username}', 'POST /api/v1/staff/accounts/{username}/totp-reset'],
  },
  offices: { href: '/staff/kantor', label: 'navOffices', blurb: 'blurbOffices', api: ['GET /api/v1/staff/service-points', 'PUT /api/v1/staff/service-points/{code}', 'GET /api/v1/staff/branches', 'PUT /api/v1/staff/branches/{code}'] },
  holidays: { href: '/staff/kalender-libur', label: 'navHolidays', blurb: 'blurbHolidays', api: ['GET /api/v1/staff/holidays', 'PUT /api/v1/staff/holidays/{year}'] },
  contact: { href: '/staff/layanan', label: 'navContact', blurb: 'blurbContact', api: ['GET /api/v1/staff/participants', 'GET /api/v1/staff/participants/{kpj}/timeline'] },
  counterRegister: { href: '/staff/pendaftaran-loket', label: 'navCounterRegister', blurb: 'blurbCounterRegister', api: ['POST /api/v1/staff/registrations', 'POST /api/v1/staff/payments'] },
  occupations: { href: '/staff/pekerjaan', label: 'navOccupations', blurb: 'blurbOccupations', api: ['GET /api/v1/staff/occupations', 'PUT /api/v1/staff/occupations/{code}'] },
  partners: { href: '/staff/mitra', label: 'navPartners', blurb: 'blurbPartners', api: ['POST /api/v1/staff/partners', 'POST /api/v1/staff/partners/{id}/clients', 'DELETE /api/v1/staff/partners/{id}/clients/{clientId}'] },
  agents: { href: '/staff/agen', label: 'navAgents', blurb: 'blurbAgents', api: ['POST /api/v1/staff/kantor-perisai', 'POST /api/v1/staff/agents', 'POST /api/v1/staff/agents/{code}/end'] },
  agentFinance: {
    href: '/staff/agen/keuangan',
    label: 'navAgentFinance',
    blurb: 'blurbAgentFinance',
    api: ['POST /api/v1/staff/agents/{code}/deposits', 'GET /api/v1/staff/agents/{code}/cash', 'POST /api/v1/staff/agent-statements/{id}/approve', 'POST /api/v1/staff/agent-statements/{id}/paid'],
  },
} as const satisfies Record<string, { href: string; label: keyof StaffTexts; blurb: keyof StaffTexts; api: readonly string[] }>;

export type SectionKey = keyof typeof CONSOLE_SECTIONS;

/** The roles that may call every endpoint of `api` (the staff policy, src/modules/staff/policy.ts). */
export function rolesForEndpoints(api: readonly string[]): StaffRole[] {
  const allowed = api.map((key) => {
    const [method = '', path = ''] = key.split(' ');
    return rolesAllowed(method, path) ?? [];
  });
  return STAFF_ROLES.filter((role) => allowed.every((roles) => roles.includes(role)));
}

/** The roles that see a section (and may open its page). */
export function sectionRoles(key: SectionKey): StaffRole[] {
  return rolesForEndpoints(CONSOLE_SECTIONS[key].api);
}

/** The sections, among the mounted ones, that a staff member holding `roles` sees, in table order. */
export function visibleSections(mounted: ReadonlySet<SectionKey>, roles: readonly StaffRole[]): SectionKey[] {
  return (Object.keys(CONSOLE_SECTIONS) as SectionKey[]).filter((key) => mounted.has(key) && sectionRoles(key).some((r) => roles.includes(r)));
}

/** The catalogue key of each role's name. */
export const ROLE_LABEL = {
  counter: 'roleCounter',
  contact_centre: 'roleContactCentre',
  claims_verifier: 'roleClaimsVerifier',
  claims_approver: 'roleClaimsApprover',
  finance: 'roleFinance',
  supervisor: 'roleSupervisor',
  admin: 'roleAdmin',
} as const satisfies Record<StaffRole, keyof StaffTexts>;
