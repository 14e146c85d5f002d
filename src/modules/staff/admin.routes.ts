import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { formatInstantWib } from '../../shared/month.js';
import { branchDirectory, listServicePoints } from '../reference/index.js';
import { createStaffAccount } from './accounts.js';
import { findStaffAccount, listStaffAccounts, resetStaffTotp, type StaffAccountView, updateStaffAccount } from './admin.js';
import { STAFF_ROLES } from './roles.js';

const TAGS = ['Staf (staff)'];
const ZReason = z.string().trim().min(3).max(500).openapi({ description: 'Why (kept in the audit trail)', example: 'Pegawai baru loket Jakarta Pusat' });
const ZRoles = z.array(z.enum(STAFF_ROLES)).min(1).max(STAFF_ROLES.length);
const ZBranch = z.string().regex(/^[A-Z0-9-]{2,40}$/).openapi({ example: 'JKT-SALEMBA', description: 'A branch code of GET /api/v1/branches' });
const ZPoint = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/).openapi({ example: 'SPO-MANDIRI-SALEMBA' });
const ZUsernameParam = z.object({ username: z.string().min(1).max(64).openapi({ example: 'siti.counter' }) });
const ZAccount = z
  .object({
    username: z.string(),
    roles: z.array(z.enum(STAFF_ROLES)),
    branchCode: z.string().nullable(),
    servicePointCode: z.string().optional().openapi({ description: "Present when set: the service point the officer works at (GET /api/v1/staff/service-points); an SPO's officer registers with channel 'spo'" }),
    disabled: z.boolean(),
    totp: z.boolean().openapi({ description: 'true: the account has a TOTP secret (required in production)' }),
    lockedUntil: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('StaffAccount');
const ZEnrolment = z.object({ otpauthUri: z.string().openapi({ description: 'The new TOTP secret as an otpauth:// URI: shown ONCE, never again' }) });
const errors = { 400: jsonResponse(ZError, 'invalid_request'), ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') } as const;

function accountJson(a: StaffAccountView) {
  const { servicePointCode, ...rest } = a;
  return { ...rest, ...(servicePointCode ? { servicePointCode } : {}), lockedUntil: a.lockedUntil ? formatInstantWib(a.lockedUntil) : null, createdAt: formatInstantWib(a.createdAt) };
}

const listRoute = createRoute({
  method: 'get',
  path: '/staff/accounts',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Every staff account: roles, branch, disabled, TOTP enrolled, locked until (admin)',
  responses: { 200: jsonResponse(z.object({ accounts: z.array(ZAccount) }), 'Staff accounts'), ...errors },
});

const createAccountRoute = createRoute({
  method: 'post',
  path: '/staff/accounts',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Create a staff account with an initial password the admin hands over; answers the TOTP enrolment once (admin)',
  description:
    'The admin sets an initial password (at least 12 characters) and gives it to the person with the otpauth:// URI ' +
    '(or its QR code in the console). Every account gets a TOTP secret: production sign-in requires the code. Audited with the reason.',
  request: {
    body: jsonBody(
      z.object({
        username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/),
        password: z.string().min(12).max(200),
        roles: ZRoles,
        branchCode: ZBranch.optional(),
        servicePointCode: ZPoint.optional(),
        reason: ZReason,
      }),
    ),
  },
  responses: { 201: jsonResponse(ZAccount.extend(ZEnrolment.shape), 'Created'), ...errors, 409: jsonResponse(ZError, 'username_taken'), 422: jsonResponse(ZError, 'unknown_branch') },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/staff/accounts/{username}',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: "Change an account's roles or branch, disable or enable it; disabling ends its sessions at once (admin)",
  description: 'An admin cannot disable their own account nor drop their own admin role (409 own_admin_role), so an admin always remains.',
  request: {
    params: ZUsernameParam,
    body: jsonBody(z.object({ roles: ZRoles.optional(), branchCode: ZBranch.nullable().optional(), servicePointCode: ZPoint.nullable().optional(), disabled: z.boolean().optional(), reason: ZReason })),
  },
  responses: {
    200: jsonResponse(ZAccount, 'The account after the change'),
    ...errors,
    404: jsonResponse(ZError, 'unknown_staff_account'),
    409: jsonResponse(ZError, 'own_admin_role'),
    422: jsonResponse(ZError, 'unknown_branch'),
  },
});

const resetTotpRoute = createRoute({
  method: 'post',
  path: '/staff/accounts/{username}/totp-reset',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Give an account a new TOTP secret (lost phone): the old codes stop working, its sessions end (admin)',
  request: { params: ZUsernameParam, body: jsonBody(z.object({ reason: ZReason })) },
  responses: {
    200: jsonResponse(z.object({ username: z.string() }).extend(ZEnrolment.shape), 'The new enrolment, shown once'),
    ...errors,
    404: jsonResponse(ZError, 'unknown_staff_account'),
  },
});

/** 422 unknown_branch when `code` is given and names no active branch. */
async function checkBranch(deps: Deps, code: string | null | undefined): Promise<void> {
  if (code && !(await branchDirectory(deps.db)).find(code)) {
    throw new AppError('unknown_branch', 'branchCode');
  }
}

/** 422 unknown_service_point when `code` is given and names no active service point. */
async function checkServicePoint(deps: Deps, code: string | null | undefined): Promise<void> {
  if (code && !(await listServicePoints(deps.db)).some((p) => p.code === code && p.active)) {
    throw new AppError('unknown_service_point', 'servicePointCode');
  }
}

/** Staff account administration (admin role, through the staff policy): list, create, change, reset TOTP. All audited. */
export function staffAdminRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/accounts', '/staff/accounts/*'])
    .openapi(listRoute, async (c) => c.json({ accounts: (await listStaffAccounts(deps.db)).map(accountJson) }, 200))
    .openapi(createAccountRoute, async (c) => {
      const { reason, ...body } = c.req.valid('json');
      await checkBranch(deps, body.branchCode);
      await checkServicePoint(deps, body.servicePointCode);
      const meta = { actor: staffActorOf(c), at: deps.clock.now(), reason };
      const created = await createStaffAccount(deps.db, { ...body, withTotp: true }, meta);
      const account = created ? await findStaffAccount(deps.db, created.username) : null;
      if (!created || !account) {
        throw new AppError('username_taken', 'username');
      }
      return c.json({ ...accountJson(account), otpauthUri: created.otpauthUri ?? '' }, 201);
    })
    .openapi(updateRoute, async (c) => {
      const { reason, ...change } = c.req.valid('json');
      await checkBranch(deps, change.branchCode);
      await checkServicePoint(deps, change.servicePointCode);
      const result = await updateStaffAccount(deps.db, c.req.valid('param').username, change, { actor: staffActorOf(c), reason, at: deps.clock.now() });
      if (result === 'not_found') {
        throw new AppError('unknown_staff_account');
      }
      if (result === 'own_admin_role') {
        throw new AppError('own_admin_role');
      }
      return c.json(accountJson(result), 200);
    })
    .openapi(resetTotpRoute, async (c) => {
      const { reason } = c.req.valid('json');
      const result = await resetStaffTotp(deps.db, c.req.valid('param').username, { actor: staffActorOf(c), reason, at: deps.clock.now() });
      if (result === 'not_found') {
        throw new AppError('unknown_staff_account');
      }
      return c.json(result, 200);
    });
}
