import type { Registration } from '../../db/database.js';
import type { Deps } from '../../deps.js';
import { billStatusAt, findLatestRegistrationBill } from '../contributions/index.js';
import { findRegistration } from './registration.repository.js';

/** A registration as the portal's registration pages show it; undefined for an unknown id. */
export async function getRegistration(deps: Pick<Deps, 'db'>, id: string): Promise<Registration | undefined> {
  return findRegistration(deps.db, id);
}

/**
 * Where a registration stands, which decides the page a person continuing it sees: unknown, still verifying, done,
 * a first bill still open to pay, or (with no open bill, or it expired) choosing programs again.
 */
export type RegistrationStep =
  | { step: 'unknown' }
  | { step: 'verify'; registration: Registration }
  | { step: 'completed' }
  | { step: 'pay'; paymentCode: string }
  | { step: 'program'; billExpired: boolean };

export async function registrationStep(deps: Pick<Deps, 'db'>, id: string, now: Date): Promise<RegistrationStep> {
  const registration = await findRegistration(deps.db, id);
  if (!registration) {
    return { step: 'unknown' };
  }
  if (registration.status === 'pending_verification') {
    return { step: 'verify', registration };
  }
  if (registration.status === 'completed') {
    return { step: 'completed' };
  }
  if (registration.status !== 'submitted') {
    return { step: 'program', billExpired: false };
  }
  const bill = await findLatestRegistrationBill(deps.db, registration.id);
  return bill && billStatusAt(bill, now) === 'open' ? { step: 'pay', paymentCode: bill.payment_code } : { step: 'program', billExpired: true };
}
