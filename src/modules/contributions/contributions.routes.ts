import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { AppError } from '../../http/errors.js';
import { readJson } from '../../http/read-json.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { errorResponses, jsonBody, jsonResponse, ZError, ZMonth, ZPrograms, ZQuote, ZRupiah } from '../../http/schemas.js';
import { BoundedCache } from '../../shared/bounded-cache.js';
import { monthInJakarta } from '../../shared/month.js';
import { findOccupation } from '../reference/occupations.js';
import { inquireBill } from './bills.js';
import { priceContribution } from './domain/price-contribution.js';

const ZQuoteRequest = z
  .object({
    declaredIncome: z.number().int().openapi({ example: 2000000 }),
    programs: ZPrograms,
    months: z.number().int().openapi({ example: 3 }),
    startMonth: ZMonth.optional(),
    occupationCode: z.string().optional(),
    funding: z.enum(['self', 'sponsor', 'apbn', 'apbd']).default('self'),
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

type QuoteBody = z.infer<typeof ZQuoteRequest>;

/**
 * The quote for one request, as the JSON the API returns. Pricing is a pure function of the request, the current
 * month and the immutable rule book, so identical requests share one computed answer (bounded memo); a rejection is
 * computed the same way and thrown as an AppError.
 */
function createQuoteResponder(deps: Deps) {
  const cache = new BoundedCache<{ json: string } | { error: AppError }>(QUOTE_CACHE_SIZE_MAX);
  return (body: QuoteBody): string => {
    const startMonth = body.startMonth ?? monthInJakarta(deps.clock.now());
    const key = `${body.declaredIncome}|${body.programs.join(',')}|${body.months}|${startMonth}|${body.occupationCode ?? ''}|${body.funding}`;
    const answer = cache.getOrCompute(key, () => {
      let sector: 'transport' | 'other' = 'other';
      if (body.occupationCode !== undefined) {
        const occupation = findOccupation(body.occupationCode);
        if (!occupation) {
          return { error: new AppError('unknown_occupation', 'occupationCode') };
        }
        sector = occupation.sector;
      }
      const quote = priceContribution(
        { declaredIncome: body.declaredIncome, programs: body.programs, months: body.months, startMonth, sector, funding: body.funding },
        deps.rules,
      );
      if (!quote.ok) {
        return { error: new AppError(quote.code, quote.field, quote.detail) };
      }
      return { json: JSON.stringify(quote.value) };
    });
    if ('error' in answer) {
      throw answer.error;
    }
    return answer.json;
  };
}

const QUOTE_CACHE_SIZE_MAX = 10_000;

export function contributionRoutes(deps: Deps) {
  const app = createOpenApiApp();
  const respond = createQuoteResponder(deps);
  // Documented from ZQuoteRequest, validated by hand with the same schema (synchronously: the quote is the API's
  // busiest read, and the generic async validator middleware cost more than the pricing itself — docs/benchmarks.md).
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/quotes',
    tags: ['Iuran (contributions)'],
    summary: 'Contribution quote, priced month by month (PP 50/2025 discounts included)',
    request: { body: jsonBody(ZQuoteRequest) },
    responses: { 200: jsonResponse(ZQuote, 'The quote'), ...errorResponses },
  });
  app.post('/quotes', async (c) => {
    const body = ZQuoteRequest.safeParse(await readJson(c.req.raw));
    if (!body.success) {
      const issue = body.error.issues[0];
      const field = issue?.path.map(String).join('.');
      throw new AppError('invalid_request', field || undefined, issue ? `${field ? `${field}: ` : ''}${issue.message}` : undefined);
    }
    return c.body(respond(body.data), 200, { 'Content-Type': 'application/json' });
  });
  return app
    .openapi(billRoute, async (c) => {
      const bill = await inquireBill(deps.db, c.req.valid('param').paymentCode, deps.clock.now());
      if (!bill) {
        throw new AppError('unknown_payment_code', 'paymentCode');
      }
      return c.json(bill, 200);
    });
}
