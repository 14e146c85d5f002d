import { approveClaim, JKK_OUTCOMES, rejectClaim, staffClaimView, transition, verifyClaim, type ClaimStatus, type ClaimView, type JkkAssessment } from '../../modules/claims/index.js';
import { mayCall } from '../../modules/staff/index.js';
import { CsrfInput, ErrorSummary, SelectField, TextArea, TextField } from '../components/form.js';
import type { PortalContext } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { FormSpec, FormView, StaffConsolePage, StaffKit } from './kit.js';
import type { StaffMember } from './layout.js';
import { rolesForEndpoints } from './sections.js';

/** What the officers' forms post: the JKK assessment (verify) or a reason (reject, return). */
export interface ActionValues {
  outcome: string;
  stmbDays: string;
  medicalCost: string;
  disabilityPercent: string;
  reason: string;
  /** '1' on a JKK claim's verify form: the assessment is required. */
  jkk: string;
}
export type ActionView = Partial<FormView<ActionValues>> & { form?: 'verify' | 'approve' | 'reject' | 'return' };

const OUTCOME_LABEL = { recovered: 'outcomeRecovered', partial_disability: 'outcomePartialDisability', total_disability: 'outcomeTotalDisability', death: 'outcomeDeath' } as const;
const ACTIONS = { verify: 'verifikasi', approve: 'setujui', reject: 'tolak', return: 'kembalikan' } as const;
type Action = keyof typeof ACTIONS;

/** An optional whole number field: '' → undefined; null when it is not a number in [min, max]. */
export function optionalInt(raw: string, min: number, max: number): number | undefined | null {
  const v = raw.replace(/[.\s]/g, '');
  if (v === '') return undefined;
  return /^\d{1,12}$/.test(v) && Number(v) >= min && Number(v) <= max ? Number(v) : null;
}

/** The assessment as typed, or the errors by field (Indonesian or English). */
export function readAssessment(v: ActionValues, t: Messages['staffClaims']): { assessment: JkkAssessment } | { errors: Record<string, string> } {
  const outcome = JKK_OUTCOMES.find((o) => o === v.outcome);
  const stmbDays = optionalInt(v.stmbDays, 0, 3650);
  const medicalCost = optionalInt(v.medicalCost, 0, 10_000_000_000);
  const disabilityPercent = optionalInt(v.disabilityPercent, 1, 100);
  const errors: Record<string, string> = {
    ...(outcome ? {} : { outcome: t.outcomeMissing }),
    ...(stmbDays === null ? { stmbDays: t.numberInvalid } : {}),
    ...(medicalCost === null ? { medicalCost: t.numberInvalid } : {}),
    ...(disabilityPercent === null || (outcome === 'partial_disability' && disabilityPercent === undefined) ? { disabilityPercent: t.percentMissing } : {}),
  };
  if (!outcome || Object.keys(errors).length > 0) return { errors };
  const pick = <K extends string>(k: K, n: number | null | undefined) => (n === undefined || n === null ? {} : ({ [k]: n } as Record<K, number>));
  return { assessment: { outcome, ...pick('stmbDays', stmbDays), ...pick('medicalCost', medicalCost), ...pick('disabilityPercent', outcome === 'partial_disability' ? disabilityPercent : undefined) } };
}

/** Whether `staff` may take `action` on the claim now: the policy for the role, the state machine for the status. */
export function mayAct(staff: StaffMember, claim: Pick<ClaimView, 'id' | 'status'>, action: Action): boolean {
  const state = { status: claim.status as ClaimStatus, verifiedBy: null, approvedBy: null, reason: null };
  const move = action === 'reject' || action === 'return' ? { kind: action, officer: '-', reason: 'x' } : { kind: action, officer: '-' };
  return mayCall(staff.roles, 'POST', `/api/v1/staff/claims/${claim.id}/${action}`) && transition(state, move).ok;
}

/** The username that verified the claim (the last `verified` entry of its history). */
const verifierOf = (claim: ClaimView) => [...claim.history].reverse().find((h) => h.status === 'verified')?.actor ?? null;

function ActionForm(props: { c: PortalContext; claim: ClaimView; action: Action; title: string; intro?: string; button: string; children?: unknown }) {
  return (
    <section aria-labelledby={`aksi-${props.action}`} class="card staff-form">
      <h3 id={`aksi-${props.action}`}>{props.title}</h3>
      {props.intro ? <p>{props.intro}</p> : null}
      <form method="post" action={`/staff/klaim/${encodeURIComponent(props.claim.id)}/${ACTIONS[props.action]}`}>
        <CsrfInput token={props.c.get('csrf')} />
        {props.children as never}
        <button type="submit" class={props.action === 'reject' ? 'btn-secondary' : undefined}>
          {props.button}
        </button>
      </form>
    </section>
  );
}

function VerifyFields(props: { m: Messages; claim: ClaimView; view: ActionView }) {
  const t = props.m.staffClaims;
  if (props.claim.type !== 'JKK') return null;
  const v = props.view.form === 'verify' ? props.view.values : undefined;
  const e = props.view.form === 'verify' ? (props.view.errors ?? {}) : {};
  return (
    <>
      <input type="hidden" name="jkk" value="1" />
      <SelectField name="outcome" label={t.outcome} value={v?.outcome} error={e['outcome']} placeholder={t.outcomeChoose} options={JKK_OUTCOMES.map((o) => ({ value: o, label: t[OUTCOME_LABEL[o]] }))} required />
      <TextField name="stmbDays" label={t.stmbDays} hint={t.optionalNumber} value={v?.stmbDays} error={e['stmbDays']} inputmode="numeric" autocomplete="off" maxlength={5} />
      <TextField name="medicalCost" label={t.medicalCost} hint={t.optionalNumber} value={v?.medicalCost} error={e['medicalCost']} inputmode="numeric" autocomplete="off" maxlength={16} />
      <TextField name="disabilityPercent" label={t.disabilityPercent} hint={t.disabilityHint} value={v?.disabilityPercent} error={e['disabilityPercent']} inputmode="numeric" autocomplete="off" maxlength={3} />
    </>
  );
}

/** The "Tindakan" section: the forms the staff member's roles allow in the claim's state, the four-eyes notes. */
export function ClaimActions(props: { c: PortalContext; m: Messages; staff: StaffMember; claim: ClaimView; view: ActionView }) {
  const { c, m, staff, claim, view } = props;
  const t = m.staffClaims;
  const reasonOf = (form: 'reject' | 'return') => (view.form === form ? view : {});
  const approverRole = staff.roles.includes('claims_approver');
  const selfVerified = claim.status === 'verified' && verifierOf(claim) === staff.username;
  const forms = [
    mayAct(staff, claim, 'verify') ? (
      <ActionForm c={c} claim={claim} action="verify" title={t.verifyTitle} intro={t.verifyIntro} button={t.verifyButton}>
        <VerifyFields m={m} claim={claim} view={view} />
      </ActionForm>
    ) : null,
    mayAct(staff, claim, 'approve') && !selfVerified ? <ActionForm c={c} claim={claim} action="approve" title={t.approveTitle} intro={t.approveIntro} button={t.approveButton} /> : null,
    claim.status === 'verified' && (selfVerified || !approverRole) ? <p class="notice notice-warn">{selfVerified && approverRole ? t.fourEyesSelf : t.fourEyesWaiting}</p> : null,
    ...(['return', 'reject'] as const).map((a) =>
      mayAct(staff, claim, a) ? (
        <ActionForm c={c} claim={claim} action={a} title={a === 'reject' ? t.rejectTitle : t.returnTitle} button={a === 'reject' ? t.rejectButton : t.returnButton}>
          <TextArea name={`${a}Reason`} label={t.reasonLabel} hint={a === 'reject' ? t.rejectReasonHint : t.returnReasonHint} value={reasonOf(a).values?.reason} error={reasonOf(a).errors?.[`${a}Reason`]} maxlength={1000} required />
        </ActionForm>
      ) : null,
    ),
  ].filter((f) => f !== null);
  return (
    <section aria-labelledby="tindakan" id="isi">
      <h2 id="tindakan">{t.actionsTitle}</h2>
      <ErrorSummary title={m.common.errorSummaryTitle} errors={view.errors ?? {}} />
      {view.problem ? (
        <p class="notice notice-bad" role="alert">
          {view.problem}
        </p>
      ) : null}
      {forms.length === 0 ? <p>{t.noActions}</p> : forms}
    </section>
  );
}

function readValues(form: Form): ActionValues {
  const one = (name: string, max: number) => field(form, name, max).trim();
  return { outcome: one('outcome', 40), stmbDays: one('stmbDays', 10), medicalCost: one('medicalCost', 24), disabilityPercent: one('disabilityPercent', 6), reason: one('rejectReason', 1000) || one('returnReason', 1000), jkk: one('jkk', 1) };
}

type Rerender = (c: PortalContext, staff: StaffMember, id: string, view: ActionView) => Response | Promise<Response>;

/** The form of one officer's action: checked, then the use case as the staff member; refusals re-render the claim. */
function spec(kit: StaffKit, action: Action, rerender: Rerender): FormSpec<ActionValues> {
  const id = (c: PortalContext) => c.req.param('id')?.slice(0, 64) ?? '';
  const words = (c: PortalContext) => messagesFor(c.get('lang')).staffClaims;
  return {
    read: readValues,
    check(values, c) {
      const t = words(c);
      if (action === 'verify') {
        const read = values.jkk === '1' ? readAssessment(values, t) : null;
        return read && 'errors' in read ? read.errors : {};
      }
      return (action === 'reject' || action === 'return') && values.reason === '' ? { [`${action}Reason`]: t.reasonMissing } : {};
    },
    async act(values, staff, c) {
      const t = words(c);
      const claimId = id(c);
      if (action === 'verify') {
        const read = values.jkk === '1' ? readAssessment(values, t) : null;
        await verifyClaim(kit.deps, { id: claimId, actor: staff.username, assessment: read && 'assessment' in read ? read.assessment : null });
      } else if (action === 'approve') {
        await approveClaim(kit.deps, { id: claimId, actor: staff.username });
      } else {
        await rejectClaim(kit.deps, { id: claimId, actor: staff.username, reason: values.reason, kind: action });
      }
      const total = action === 'verify' ? ((await staffClaimView(kit.deps, claimId, c.get('lang'))).total ?? 0) : 0;
      const flash = fill(t[({ verify: 'verified', approve: 'approved', reject: 'rejected', return: 'returned' } as const)[action]], { id: claimId, total: rupiah(total) });
      return { redirect: `/staff/klaim/${encodeURIComponent(claimId)}`, flash };
    },
    // not_found: the re-render is the 404 page (claimPage).
    refusals: { same_officer: { status: 409 }, invalid_transition: { status: 409 }, invalid_request: { status: 422 }, not_found: { status: 409 } },
    rerender: (c, staff, view) => rerender(c, staff, id(c), { ...view, form: action }),
  };
}

/**
 * The officers' forms of "Detail klaim" (POST /staff/klaim/{id}/verifikasi|setujui|tolak|kembalikan), each guarded
 * by the roles of its API endpoint (STAFF_POLICY) and calling the same use case as the API (review.ts), as the staff
 * member: a refusal (same_officer — four eyes —, invalid_transition) re-renders the claim with the Indonesian message.
 */
export function mountClaimActions(app: Parameters<StaffConsolePage['mount']>[0], kit: StaffKit, rerender: Rerender): void {
  for (const action of Object.keys(ACTIONS) as Action[]) {
    const roles = rolesForEndpoints([`POST /api/v1/staff/claims/{id}/${action}`]);
    app.post(`/staff/klaim/:id/${ACTIONS[action]}`, kit.formPost(roles, spec(kit, action, rerender)));
  }
}
