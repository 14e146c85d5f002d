import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { AppError, unwrap } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { errorResponses, jsonBody, jsonResponse, ZError, ZMonth, ZPrograms, ZQuote, ZRupiah } from '../../http/schemas.js';
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

const quoteRoute = createRoute({
  method: 'post',
  path: '/quotes',
  tags: ['Iuran (contributions)'],
  summary: 'Contribution quote, priced month by month (PP 50/2025 discounts included)',
  request: { body: jsonBody(ZQuoteRequest) },
  responses: { 200: jsonResponse(ZQuote, 'The quote'), ...errorResponses },
});

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

export function contributionRoutes(deps: Deps) {
  return createOpenApiApp()
    .openapi(quoteRoute, (c) => {
      const body = c.req.valid('json');
      let sector: 'transport' | 'other' = 'other';
      if (body.occupationCode !== undefined) {
        const occupation = findOccupation(body.occupationCode);
        if (!occupation) {
          throw new AppError('unknown_occupation', 'occupationCode');
        }
        sector = occupation.sector;
      }
      const quote = unwrap(
        priceContribution(
          {
            declaredIncome: body.declaredIncome,
            programs: body.programs,
            months: body.months,
            startMonth: body.startMonth ?? monthInJakarta(deps.clock.now()),
            sector,
            funding: body.funding,
          },
          deps.rules,
        ),
      );
      return c.json(quote, 200);
    })
    .openapi(billRoute, async (c) => {
      const bill = await inquireBill(deps.db, c.req.valid('param').paymentCode, deps.clock.now());
      if (!bill) {
        throw new AppError('unknown_payment_code', 'paymentCode');
      }
      return c.json(bill, 200);
    });
}
