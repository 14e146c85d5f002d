/**
 * Who is told about a claim. A member's own claim: the member, by email and SMS. A claim an heir filed (`claimant`,
 * a death): the heir, by SMS to the phone given at the counter — never the deceased member's email or phone, which
 * may be closed or held by someone else; no email of the heir is on record.
 */
export interface ClaimRecipients {
  fullName: string;
  email: string | null;
  phone: string;
}

export function claimRecipients(member: { full_name: string; email: string; phone: string }, claimant: unknown): ClaimRecipients {
  const heir = (typeof claimant === 'string' ? JSON.parse(claimant) : claimant) as { fullName?: string; phone?: string } | null;
  if (heir && typeof heir.phone === 'string' && typeof heir.fullName === 'string') {
    return { fullName: heir.fullName, email: null, phone: heir.phone };
  }
  return { fullName: member.full_name, email: member.email, phone: member.phone };
}
