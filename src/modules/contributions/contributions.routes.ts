import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { errorResponses, jsonBody, jsonResponse, ZError, ZMonth, ZPrograms, ZQuote, ZRupiah } from '../../http/schemas.js';
import { decodeJson, zodShape, type IngressFault } from '../../http/signed-json.js';
import { BoundedCache } from '../../shared/bounded-cache.js';
import { monthInJakarta } from '../../shared/month.js';
import { occupationDirectory, type OccupationDirectory } from '../reference/index.js';
import { inquireBill } from './bills.js';
import { priceContribution } from './domain/price-contribution.js';

const ZQuoteRequest = z
  .object({
    declaredIncome: z.number().int().openapi({ example: 2000000 }),
    programs: ZPrograms,
    months: z.number().int().openapi({ example: 3 }),
    startMonth: ZMonth.optional(),
    occupationCode: z.string().optional(),
    funding: z.enum(['self', 'sponsor', 'partner', 'apbn', 'apbd']).default('self'),
  })
  .openapi('QuoteRequest');

const ZBillInquiry = z
  .object({
    paymentCode: z.string(),
    status: z.enum(['open', 'paid', 'expired', 'cancelled']),
    amount: ZRupiah,
    expiresAt: z.string(),
    customerName: z.string().openapi({ example: 'B*** S******' }),
  })
  .openapi('BillInquiry');

const billRoute = createRoute({
  method: 'get',
  path: '/bills/{paymentCode}',
  tags: ['Pembayaran (payments)'],
  summary: 'Bill inquiry by payment code, as a bank or minimarket asks before taking money',
  request: { params: z.object({ paymentCode: z.string().max(64) }) },
  responses: { 200: jsonResponse(ZBillInquiry, 'The bill'), 400: errorResponses[400], 404: jsonResponse(ZError, 'unknown_payment_code') },
});

const quoteRequestShape = zodShape(ZQuoteRequest);

/** A quote body that is no valid request: 400 invalid_request, the detail naming the field before the issue. */
function quoteRefusal(fault: IngressFault): AppError {
  if (fault.kind !== 'schema') {
    return new AppError('invalid_request', undefined, 'malformed JSON');
  }
  const field = fault.issue?.path;
  return new AppError('invalid_request', field || undefined, fault.issue ? `${field ? `${field}: ` : ''}${fault.issue.message}` : undefined);
}

/**
 * The quote for one request body, as the JSON the API returns (or the error it raises). A quote is a pure function
 * of the body, the current month (the default start month), the immutable rule book and the active occupations (their
 * codes and sectors: the directory's version), so the answer is memoised by those (bounded): repeated requests skip parsing, validation and pricing alike. Only short bodies are memoised.
 */
function createQuoteResponder(deps: Deps) {
  const cache = new BoundedCache<{ json: string } | { error: AppError }>(QUOTE_CACHE_SIZE_MAX);
  const compute = (raw: string, currentMonth: string, occupations: OccupationDirectory): { json: string } | { error: AppError } => {
    const body = decodeJson(raw, quoteRequestShape);
    if (!body.ok) {
      return { error: quoteRefusal(body.fault) };
    }
    const b = body.value;
    let sector: 'transport' | 'other' = 'other';
    if (b.occupationCode !== undefined) {
      const occupation = occupations.find(b.occupationCode);
      if (!occupation) {
        return { error: new AppError('unknown_occupation', 'occupationCode') };
      }
      sector = occupation.sector;
    }
    const quote = priceContribution(
      { declaredIncome: b.declaredIncome, programs: b.programs, months: b.months, startMonth: b.startMonth ?? currentMonth, sector, funding: b.funding },
      deps.rules,
    );
    return quote.ok ? { json: JSON.stringify(quote.value) } : { error: new AppError(quote.code, quote.field, quote.detail) };
  };
  return (raw: string, occupations: OccupationDirectory): string => {
    const currentMonth = monthInJakarta(deps.clock.now());
    const key = `${occupations.version}|${currentMonth}|${raw}`;
    const answer = raw.length <= QUOTE_BODY_MEMO_LENGTH_MAX ? cache.getOrCompute(key, () => compute(raw, currentMonth, occupations)) : compute(raw, currentMonth, occupations);
    if ('error' in answer) {
      throw answer.error;
    }
    return answer.json;
  };
}

const QUOTE_CACHE_SIZE_MAX = 10_000;
const QUOTE_BODY_MEMO_LENGTH_MAX = 1_024;

export function contributionRoutes(deps: Deps) {
  const app = createOpenApiApp();
  const respond = createQuoteResponder(deps);
  // Documented from ZQuoteRequest and validated by hand with the same schema, synchronously and memoised per body:
  // the quote is the API's busiest read, and the generic async validator cost more than the pricing itself.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/quotes',
    tags: ['Iuran (contributions)'],
    summary: 'Contribution quote, priced month by month (PP 50/2025 discounts included)',
    request: { body: jsonBody(ZQuoteRequest) },
    responses: { 200: jsonResponse(ZQuote, 'The quote'), ...errorResponses },
  });
  app.post('/quotes', async (c) => c.body(respond(await c.req.raw.text(), await occupationDirectory(deps.db)), 200, { 'Content-Type': 'application/json' }));
  return app
    .openapi(billRoute, async (c) => {
      const bill = await inquireBill(deps.db, c.req.valid('param').paymentCode, deps.clock.now());
      if (!bill) {
        throw new AppError('unknown_payment_code', 'paymentCode');
      }
      return c.json(bill, 200);
    });
}
