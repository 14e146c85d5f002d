import type { Deps } from '../../deps.js';
import { priceContribution } from '../contributions/index.js';
import { firstBillStartMonth } from '../membership/index.js';
import { occupationDirectory } from '../reference/index.js';
import { createRegistration, submitRegistration } from '../registration/index.js';
import { type EnrolPayload, payloadIssue, ZEnrolPayload } from './command-schema.js';
import { type Answer, type CommandContext, rejected } from './commands.js';

/**
 * An enrol command: Formulir 1A through the registration module's use cases, as the counter does
 * (createRegistration with channel 'agent', registered_by = the agent code, then submitRegistration): the same
 * formats, population registry check and "already a member" rule, each rejection with the registration's own code
 * and field. The phone counts as verified by the agent's attestation (no OTP can be read back offline; see
 * src/modules/registration/registration.ts attestedByAgent); the worker gets the payment code by SMS (or email).
 * Result: the registration id, the first bill's payment code and amount. A takeover resumes after the registration.
 */
export async function enrol(deps: Deps, ctx: CommandContext, raw: unknown): Promise<Answer> {
  const parsed = ZEnrolPayload.safeParse(raw);
  if (!parsed.success) return rejected('invalid_request', payloadIssue(parsed.error));
  const p: EnrolPayload = parsed.data;
  const plan = { programs: p.programs, declaredIncome: p.declaredIncome, months: p.months };
  let registrationId = typeof ctx.progress['registrationId'] === 'string' ? ctx.progress['registrationId'] : null;
  if (registrationId === null) {
    const occupation = (await occupationDirectory(deps.db)).find(p.occupationCode);
    if (!occupation) return rejected('unknown_occupation', 'occupationCode');
    const quote = priceContribution({ ...plan, startMonth: firstBillStartMonth(deps.clock.now()), sector: occupation.sector, funding: 'self' }, deps.rules);
    if (!quote.ok) return rejected(quote.code, quote.field);
    const person = { nik: p.nik, fullName: p.fullName, birthDate: p.birthDate, gender: p.gender, phone: p.phone, email: p.email ?? '', address: p.address, occupationCode: p.occupationCode };
    const made = await createRegistration(
      deps,
      { ...person, branchCode: p.branchCode ?? ctx.agent.branchCode, consent: true },
      { channel: 'agent', servicePointCode: null, registeredBy: ctx.agent.agentCode, plan },
    );
    if (!made.ok) return rejected(made.code, made.field);
    registrationId = made.value.id;
    await ctx.saveProgress({ registrationId });
  }
  const submitted = await submitRegistration(deps, registrationId, plan);
  if (!submitted.ok) return rejected(submitted.code, submitted.field);
  const bill = submitted.value.bill;
  return { status: 'accepted', result: { registrationId, paymentCode: bill.paymentCode, amount: bill.amount } };
}
