import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { readSignedJson, zodShape } from '../http/signed-json.js';
import { normalizePhone, addResident } from '../modules/identity/index.js';
import { runDueJobs } from '../modules/jobs/index.js';
import { listMessagesTo, renderStoredMessage } from '../modules/notifications/index.js';
import { createPartner, issueClient, PARTNER_FUNDINGS, PARTNER_SCOPES } from '../modules/partners/index.js';
import { createStaffAccount, STAFF_ROLES } from '../modules/staff/index.js';
import { deliverDueWebhooks } from '../modules/webhooks/index.js';
import type { AdjustableClock } from '../shared/clock.js';
import { formatInstantWib, isLocalDate } from '../shared/month.js';

const ZResident = z.object({
  nik: z.string().regex(/^\d{16}$/),
  fullName: z.string().min(1).max(200),
  birthDate: z.string().refine(isLocalDate, 'not a calendar date'),
  gender: z.enum(['M', 'F']),
});
const ZStaff = z.object({
  username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/),
  password: z.string().min(8).max(200),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
  branchCode: z.string().max(16).optional(),
  /** The service point the officer works at (a bank's SPO desk or a branch counter; service_point.code). */
  servicePointCode: z.string().max(40).optional(),
  /** true: the account gets a TOTP secret; its otpauth:// URI is in the answer. */
  totp: z.boolean().optional(),
});
const ZPartner = z.object({ name: z.string().min(1).max(200), funding: z.enum(PARTNER_FUNDINGS), scopes: z.array(z.enum(PARTNER_SCOPES)).min(1).optional() });
const ZClock = z.object({ now: z.iso.datetime({ offset: true }).nullable() });

/** A development request body: 400 invalid_request naming the first field the schema refused. */
function parse<T>(schema: z.ZodType<T>, c: Context): Promise<T> {
  return readSignedJson(c, {
    shape: zodShape(schema),
    refuse: (fault) => new AppError('invalid_request', fault.kind === 'schema' ? fault.issue?.path : undefined, fault.kind === 'schema' ? undefined : 'malformed JSON'),
  });
}

/**
 * Development-only endpoints (mounted only outside production): the stand-in population registry, staff accounts,
 * every message the system sent, the movable clock, and a run of the jobs due at its time.
 */
export function devRoutes(deps: Deps, clock: AdjustableClock) {
  return new Hono()
    .post('/population', async (c) => {
      const r = await parse(ZResident, c);
      await addResident(deps.db, r, deps.clock.now(), deps.config.nik);
      return c.json({ nik: r.nik, fullName: r.fullName, birthDate: r.birthDate, gender: r.gender }, 201);
    })
    .post('/partners', async (c) => {
      const b = await parse(ZPartner, c);
      const now = deps.clock.now();
      const partner = await createPartner(deps.db, b, now);
      const client = await issueClient(deps.db, partner.id, { scopes: b.scopes ?? [...PARTNER_SCOPES] }, now);
      if (!client.ok) {
        throw new Error('a partner just created exists');
      }
      return c.json({ partnerId: partner.id, clientId: client.value.clientId, clientSecret: client.value.clientSecret, scopes: client.value.scopes }, 201);
    })
    .post('/staff', async (c) => {
      const b = await parse(ZStaff, c);
      const made = await createStaffAccount(deps.db, { ...b, withTotp: b.totp === true }, { actor: 'system', at: deps.clock.now() });
      if (!made) {
        throw new AppError('invalid_request', 'username', 'username taken');
      }
      return c.json({ username: made.username, roles: made.roles, ...(made.branchCode ? { branchCode: made.branchCode } : {}), ...(b.servicePointCode ? { servicePointCode: b.servicePointCode } : {}), ...(made.otpauthUri ? { otpauthUri: made.otpauthUri } : {}) }, 201);
    })
    .get('/outbox', async (c) => {
      const to = c.req.query('to');
      if (!to) {
        throw new AppError('invalid_request', 'to');
      }
      const phone = normalizePhone(to);
      const recipients = [...new Set([to, to.trim().toLowerCase(), ...(phone.ok ? [phone.value] : [])])];
      const rows = await listMessagesTo(deps.db, recipients);
      return c.json({
        messages: rows.map((m) => ({
          to: m.recipient,
          channel: m.channel,
          ...renderStoredMessage(m, { publicBaseUrl: deps.config.publicBaseUrl, cardSigner: deps.cardSigner }),
          createdAt: formatInstantWib(m.created_at),
          status: m.status,
          template: m.template,
          data: pickData(m.data),
        })),
      });
    })
    .get('/clock', (c) => c.json({ now: formatInstantWib(clock.now()) }))
    .post('/clock', async (c) => {
      const { now } = await parse(ZClock, c);
      clock.set(now === null ? null : new Date(now));
      return c.json({ now: formatInstantWib(clock.now()) });
    })
    // Runs every job due at the server clock to completion (passes until one takes nothing; a bound against a loop).
    .post('/jobs/run', async (c) => {
      const ran: string[] = [];
      for (let pass = 0; pass < 50; pass++) {
        const { jobs } = await runDueJobs(deps);
        ran.push(...jobs.map((j) => j.id));
        if (jobs.length === 0) {
          break;
        }
      }
      // Then the webhook deliveries due at the (dev) clock, the ones the jobs just queued too (src/modules/webhooks).
      let webhooks = 0;
      for (let pass = 0; pass < 50; pass++) {
        const sent = await deliverDueWebhooks(deps);
        webhooks += sent;
        if (sent === 0) {
          break;
        }
      }
      return c.json({ ran, webhooks });
    });
}

function pickData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k !== 'attachCard' && k !== 'participantId' && k !== 'issuedAt') {
      out[k] = v;
    }
  }
  return out;
}
