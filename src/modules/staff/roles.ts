/** The staff roles of the contract (api-contract.md, "Staff"); the database CHECK on staff_account.roles lists the same. */
export const STAFF_ROLES = ['counter', 'contact_centre', 'claims_verifier', 'claims_approver', 'finance', 'supervisor', 'admin'] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(s: string): s is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(s);
}
