import type { z } from 'zod';

/**
 * The one `result` column of the one row a database function answers with (its jsonb), parsed by the function's
 * schema — a `z.discriminatedUnion('status', …)` of what the function answers: a shape it does not answer is an error,
 * not a cast.
 */
export function resultOf<S extends z.ZodType>(rows: readonly { result: unknown }[], fn: string, schema: S): z.infer<S> {
  const result = rows[0]?.result;
  if (result === undefined || result === null) {
    throw new Error(`${fn} returned no result`);
  }
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    throw new Error(`${fn} answered an unexpected result ${JSON.stringify(result)}: ${parsed.error.message}`);
  }
  return parsed.data;
}
