import { z } from '@hono/zod-openapi';

/** Shapes shared by several routes; each also documents itself in the OpenAPI document. */
export const ZError = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_programs' }),
      message: z.string(),
      field: z.string().optional(),
      detail: z.string().optional().openapi({ description: 'Technical detail for developers (English); not for display' }),
    }),
  })
  .openapi('Error');

export const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).openapi({ example: '2026-11' });
export const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).openapi({ example: '1990-05-17' });
export const ZRupiah = z.number().int().openapi({ example: 16800 });

export const ZQuoteLine = z.object({
  program: z.enum(['JKK', 'JKM', 'JHT']),
  amount: ZRupiah,
  discount: ZRupiah,
  net: ZRupiah,
});

export const ZQuoteMonth = z.object({ month: ZMonth, total: ZRupiah, lines: z.array(ZQuoteLine) }).openapi('QuoteMonth');

export const ZQuote = z.object({ contributionBase: ZRupiah, total: ZRupiah, months: z.array(ZQuoteMonth) }).openapi('Quote');

export const ZBill = z
  .object({
    id: z.string(),
    paymentCode: z.string().openapi({ example: '8123456789012345' }),
    amount: ZRupiah,
    status: z.enum(['open', 'paid', 'expired', 'cancelled']),
    expiresAt: z.string().openapi({ example: '2026-11-23T09:00:00+07:00' }),
    months: z.array(ZQuoteMonth),
  })
  .openapi('Bill');

export const ZBillEnvelope = z.object({ bill: ZBill });

export const ZPrograms = z.array(z.string()).openapi({ example: ['JKK', 'JKM', 'JHT'] });

export const errorResponses = {
  400: { description: 'Malformed JSON or wrong types (invalid_request)', content: { 'application/json': { schema: ZError } } },
  422: { description: 'A business rule refused the input', content: { 'application/json': { schema: ZError } } },
} as const;

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}
