import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { unwrap } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZDate, ZError } from '../../http/schemas.js';
import { isLocalDate } from '../../shared/month.js';
import { QUEUE_PURPOSES, TICKET_STATUSES } from './domain/queue-rules.js';
import { receiptPdf, ticketPdf } from './printing.js';
import { callNext, endTicket, queueDay, takeTicket } from './queue.js';

const TAG = 'Staf (staff)';
const ZTicket = z
  .object({
    id: z.string(),
    branchCode: z.string(),
    servicePoint: z.string().nullable(),
    date: ZDate.openapi({ description: 'The WIB day; numbers restart at 1 each day' }),
    number: z.number().int(),
    label: z.string().openapi({ example: 'B-007', description: "The printed number: the purpose's letter and the number" }),
    purpose: z.enum(QUEUE_PURPOSES),
    status: z.enum(TICKET_STATUSES),
    takenAt: z.string(),
    calledAt: z.string().nullable(),
    calledBy: z.string().nullable(),
    desk: z.string().nullable(),
    endedAt: z.string().nullable(),
    waitSeconds: z.number().int().nullable().openapi({ description: 'called_at − taken_at; null while waiting' }),
  })
  .openapi('QueueTicket');
const ZSummary = z
  .object({
    taken: z.number().int(),
    waiting: z.number().int(),
    called: z.number().int(),
    served: z.number().int(),
    noShow: z.number().int(),
    medianWaitSeconds: z.number().int().nullable(),
    p90WaitSeconds: z.number().int().nullable().openapi({ description: 'Nearest rank over the called tickets' }),
  })
  .openapi('QueueSummary');
const staffErrors = { 400: jsonResponse(ZError, 'invalid_request, staff_without_branch'), 401: jsonResponse(ZError, 'unauthorized'), 403: jsonResponse(ZError, 'forbidden') } as const;
const PDF = { description: 'A6 PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } };
const idParams = z.object({ id: z.string().max(64) });

const takeRoute = createRoute({
  method: 'post', path: '/staff/queue/tickets', tags: [TAG], security: BEARER_AUTH,
  summary: "Take a queue number at the officer's branch (numbered from 1 each WIB day); audited",
  request: { body: jsonBody(z.object({ purpose: z.enum(QUEUE_PURPOSES) })) },
  responses: { 201: jsonResponse(ZTicket, 'The ticket'), ...staffErrors },
});
const nextRoute = createRoute({
  method: 'post', path: '/staff/queue/next', tags: [TAG], security: BEARER_AUTH,
  summary: 'Call the lowest waiting number of the branch to a desk (two desks never get the same ticket); audited',
  request: { body: jsonBody(z.object({ desk: z.string().trim().min(1).max(20).openapi({ example: 'Loket 2' }) })) },
  responses: { 200: jsonResponse(z.object({ ticket: ZTicket.nullable() }), 'The called ticket, or null when nobody is waiting'), ...staffErrors },
});
const endRoute = (outcome: 'served' | 'no-show') =>
  createRoute({
    method: 'post', path: `/staff/queue/tickets/{id}/${outcome}`, tags: [TAG], security: BEARER_AUTH,
    summary: outcome === 'served' ? 'Mark a called number served; audited' : 'Mark a called number a no-show; audited',
    request: { params: idParams },
    responses: { 200: jsonResponse(ZTicket, 'The ended ticket'), ...staffErrors, 404: jsonResponse(ZError, 'unknown_ticket'), 409: jsonResponse(ZError, 'ticket_not_called') },
  });
const dayRoute = createRoute({
  method: 'get', path: '/staff/queue', tags: [TAG], security: BEARER_AUTH,
  summary: "The branch's queue on a WIB day (default today): the waiting list, the desks, the ended numbers and the summary",
  request: { query: z.object({ date: ZDate.refine(isLocalDate, 'not a calendar date').optional() }) },
  responses: {
    200: jsonResponse(z.object({ branchCode: z.string(), date: ZDate, waiting: z.array(ZTicket), atDesks: z.array(ZTicket), ended: z.array(ZTicket), summary: ZSummary }), 'The queue'),
    ...staffErrors,
  },
});
const ticketPdfRoute = createRoute({
  method: 'get', path: '/staff/queue/tickets/{id}/pdf', tags: [TAG], security: BEARER_AUTH,
  summary: 'The printed queue ticket (A6 PDF: branch, number, purpose, time)',
  request: { params: idParams },
  responses: { 200: PDF, ...staffErrors, 404: jsonResponse(ZError, 'unknown_ticket') },
});
const receiptRoute = createRoute({
  method: 'get', path: '/staff/bills/{paymentCode}/receipt.pdf', tags: [TAG], security: BEARER_AUTH,
  summary: "A bill's payment slip (A6 PDF: payment code, amount, months, expiry, the QRIS QR when there is one)",
  request: { params: z.object({ paymentCode: z.string().regex(/^\d{8,20}$/) }) },
  responses: { 200: PDF, ...staffErrors, 404: jsonResponse(ZError, 'unknown_payment_code') },
});

const pdfBody = (c: Context, file: { pdf: Buffer; fileName: string }) =>
  c.body(new Uint8Array(file.pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' });

/** The counter queue's staff endpoints (README "Counter queue"), each in STAFF_POLICY. */
export function counterQueueRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/queue', '/staff/queue/*', '/staff/bills/*']);
  return app
    .openapi(takeRoute, async (c) => c.json(unwrap(await takeTicket(deps, { actor: staffActorOf(c), purpose: c.req.valid('json').purpose })), 201))
    .openapi(nextRoute, async (c) => c.json({ ticket: unwrap(await callNext(deps, { actor: staffActorOf(c), desk: c.req.valid('json').desk })) }, 200))
    .openapi(endRoute('served'), async (c) => c.json(unwrap(await endTicket(deps, { actor: staffActorOf(c), id: c.req.valid('param').id, outcome: 'served' })), 200))
    .openapi(endRoute('no-show'), async (c) => c.json(unwrap(await endTicket(deps, { actor: staffActorOf(c), id: c.req.valid('param').id, outcome: 'no_show' })), 200))
    .openapi(dayRoute, async (c) => c.json(unwrap(await queueDay(deps, { actor: staffActorOf(c), date: c.req.valid('query').date })), 200))
    .openapi(ticketPdfRoute, async (c) => pdfBody(c, unwrap(await ticketPdf(deps, { actor: staffActorOf(c), id: c.req.valid('param').id }))) as never)
    .openapi(receiptRoute, async (c) => pdfBody(c, unwrap(await receiptPdf(deps, { actor: staffActorOf(c), paymentCode: c.req.valid('param').paymentCode }))) as never);
}
