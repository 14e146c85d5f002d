import { STAFF_ROLES, type StaffRole } from './roles.js';

/**
 * THE staff policy: which roles may call each staff endpoint, keyed `METHOD /api/v1/path` with `{param}` for path
 * parameters. Every staff route goes through one middleware (requireStaff, src/http/auth.ts) that looks the request
 * up here; handlers never check roles. A staff endpoint missing from this table is refused to every account
 * (403), so a new route must be added here (test/api/staff.test.ts checks each entry role by role). The configured
 * STAFF_API_KEY holds every role (the bootstrap/ops key; issue 16's console retires it).
 */
export const STAFF_POLICY = {
  'GET /api/v1/participants/{kpj}': ['counter', 'contact_centre', 'claims_verifier', 'claims_approver', 'supervisor'],
  'GET /api/v1/staff/participants': ['counter', 'contact_centre', 'supervisor'],
  'GET /api/v1/staff/participants/{kpj}/coverage': ['counter', 'contact_centre', 'claims_verifier', 'claims_approver', 'supervisor'],
  'GET /api/v1/staff/participants/{kpj}/heirs': ['counter', 'contact_centre', 'claims_verifier', 'claims_approver', 'supervisor'],
  'GET /api/v1/staff/audit': ['supervisor', 'admin'],
  'DELETE /api/v1/staff/sessions/current': STAFF_ROLES,
  'GET /api/v1/staff/holidays': ['admin', 'supervisor'],
  'GET /api/v1/staff/holidays/{year}': ['admin', 'supervisor'],
  'PUT /api/v1/staff/holidays/{year}': ['admin'],
  'PUT /api/v1/staff/jht-rates/{year}': ['admin'],
  'POST /api/v1/staff/claims/{id}/documents': ['counter', 'claims_verifier', 'claims_approver'],
  'GET /api/v1/staff/claims/{id}/documents': ['counter', 'claims_verifier', 'claims_approver', 'supervisor'],
  'GET /api/v1/staff/claims/{id}/documents/{docId}': ['claims_verifier', 'claims_approver', 'supervisor'],
  'POST /api/v1/staff/reconciliation-runs': ['finance'],
  'GET /api/v1/staff/reconciliation-runs/{id}': ['finance', 'supervisor'],
  'GET /api/v1/staff/unmatched-payments': ['finance', 'supervisor'],
  'POST /api/v1/staff/unmatched-payments/{paymentId}/refund': ['finance'],
  'POST /api/v1/staff/unmatched-payments/{paymentId}/assign': ['finance'],
  'POST /api/v1/staff/claims': ['counter'],
  'GET /api/v1/staff/claims': ['claims_verifier', 'claims_approver', 'supervisor'],
  'GET /api/v1/staff/claims/{id}': ['claims_verifier', 'claims_approver', 'supervisor'],
  'POST /api/v1/staff/claims/{id}/verify': ['claims_verifier'],
  'POST /api/v1/staff/claims/{id}/approve': ['claims_approver'],
  'POST /api/v1/staff/claims/{id}/reject': ['claims_verifier', 'claims_approver'],
  'POST /api/v1/staff/claims/{id}/return': ['claims_verifier'],
  'GET /api/v1/staff/payouts': ['finance', 'supervisor'],
  'GET /api/v1/staff/payouts/{id}': ['finance', 'supervisor'],
  'POST /api/v1/staff/payouts/{id}/retry': ['finance'],
  'POST /api/v1/staff/payout-reconciliations': ['finance'],
  'POST /api/v1/staff/queue/tickets': ['counter'],
  'POST /api/v1/staff/queue/next': ['counter'],
  'POST /api/v1/staff/queue/tickets/{id}/served': ['counter'],
  'POST /api/v1/staff/queue/tickets/{id}/no-show': ['counter'],
  'GET /api/v1/staff/queue': ['counter', 'supervisor'],
  'GET /api/v1/staff/queue/tickets/{id}/pdf': ['counter', 'supervisor'],
  'GET /api/v1/staff/bills/{paymentCode}/receipt.pdf': ['counter'],
  'GET /api/v1/staff/dashboards/new-members': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/new-members.csv': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/membership-status': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/membership-status.csv': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/collections': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/collections.csv': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/claims': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/claims.csv': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/payouts': ['supervisor', 'admin'],
  'GET /api/v1/staff/dashboards/payouts.csv': ['supervisor', 'admin'],
  'GET /api/v1/staff/accounts': ['admin'],
  'POST /api/v1/staff/accounts': ['admin'],
  'PATCH /api/v1/staff/accounts/{username}': ['admin'],
  'POST /api/v1/staff/accounts/{username}/totp-reset': ['admin'],
  'GET /api/v1/staff/service-points': ['admin', 'supervisor'],
  'PUT /api/v1/staff/service-points/{code}': ['admin'],
  'GET /api/v1/staff/participants/{kpj}/timeline': ['contact_centre', 'counter', 'supervisor'],
  'POST /api/v1/staff/participants/{kpj}/card-resend': ['contact_centre'],
  'POST /api/v1/staff/participants/{kpj}/payment-code-resend': ['contact_centre'],
  'POST /api/v1/staff/participants/{kpj}/otp-unlock': ['contact_centre'],
  'POST /api/v1/staff/participants/{kpj}/complaints': ['contact_centre'],
  'GET /api/v1/staff/participants/{kpj}/complaints': ['contact_centre', 'counter', 'supervisor'],
  'POST /api/v1/staff/complaints/{id}/resolve': ['contact_centre'],
  'POST /api/v1/staff/registrations': ['counter'],
  'POST /api/v1/staff/registrations/{id}/otp': ['counter'],
  'POST /api/v1/staff/registrations/{id}/verify': ['counter'],
  'POST /api/v1/staff/payments': ['counter'],
  'GET /api/v1/staff/surveys/summary': ['supervisor', 'admin'],
  'GET /api/v1/staff/registration-drafts/{formCode}': ['counter', 'supervisor'],
  'PATCH /api/v1/staff/participants/{kpj}': ['counter'],
  'POST /api/v1/staff/participants/{kpj}/phone/confirm': ['counter'],
  'GET /api/v1/staff/occupations': ['admin', 'supervisor'],
  'PUT /api/v1/staff/occupations/{code}': ['admin'],
  'GET /api/v1/staff/branches': ['admin', 'supervisor'],
  'PUT /api/v1/staff/branches/{code}': ['admin'],
  'GET /api/v1/staff/participants/{kpj}/funding': ['counter', 'contact_centre', 'supervisor'],
  'PUT /api/v1/staff/participants/{kpj}/funding': ['supervisor'],
  // issue 17, PERISAI agents (src/modules/agents)
  'POST /api/v1/staff/kantor-perisai': ['admin'],
  'POST /api/v1/staff/agents': ['admin'],
  'POST /api/v1/staff/agents/{code}/end': ['admin'],
  'POST /api/v1/staff/agents/{code}/deposits': ['finance'],
  'GET /api/v1/staff/agents/{code}/cash': ['finance'],
  // issue 17, PERISAI incentives (src/modules/incentives)
  'GET /api/v1/staff/agents/{code}/statements': ['finance', 'supervisor'],
  'POST /api/v1/staff/agent-statements/{id}/approve': ['finance'],
  'POST /api/v1/staff/agent-statements/{id}/paid': ['finance'],
  'POST /api/v1/staff/partners': ['admin'],
  'POST /api/v1/staff/partners/{id}/clients': ['admin'],
  'DELETE /api/v1/staff/partners/{id}/clients/{clientId}': ['admin'],
  // issue 17 items 2-3, rosters and period invoices (src/modules/rosters)
  'GET /api/v1/staff/partners/{id}/invoices': ['finance', 'supervisor'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffRouteKey = keyof typeof STAFF_POLICY;

const COMPILED = Object.entries(STAFF_POLICY).map(([key, roles]) => {
  const [method, path] = key.split(' ') as [string, string];
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return { method, pattern, roles: roles as readonly StaffRole[] };
});

/** The roles that may call `method path` (a concrete request path), or null when no staff endpoint matches it. */
export function rolesAllowed(method: string, path: string): readonly StaffRole[] | null {
  const m = method.toUpperCase();
  return COMPILED.find((e) => e.method === m && e.pattern.test(path))?.roles ?? null;
}

/** Whether a caller holding `held` may call `method path`. */
export function mayCall(held: readonly StaffRole[], method: string, path: string): boolean {
  const allowed = rolesAllowed(method, path);
  return allowed !== null && held.some((r) => allowed.includes(r));
}
