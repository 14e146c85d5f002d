/**
 * The counter module's facade (issue 16 item 2, antrean loket): the queue of a branch — numbers taken per WIB day,
 * called to a desk (FOR UPDATE SKIP LOCKED), served or a no-show, the day's waiting-time summary (the PURE rules in
 * domain/queue-rules.ts) — and the counter's printed A6 slips (the queue ticket, a bill's payment slip). Other
 * modules, src/web and the composition root import this module only through this file.
 */
export { mayEnd, median, nearestRank, QUEUE_PURPOSES, type QueuePurpose, type QueueSummary, summarize, ticketLabel, TICKET_STATUSES, type TicketStatus, waitSeconds } from './domain/queue-rules.js';
export { receiptPdf, ticketPdf } from './printing.js';
export { counterQueueRoutes } from './queue.routes.js';
export { callNext, endTicket, type QueueDay, queueDay, takeTicket, type TicketView } from './queue.js';
export { formatMonthsId, formatWibId, PURPOSE_LABELS_ID } from './slips.js';
