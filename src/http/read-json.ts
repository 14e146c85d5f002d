import { AppError } from './errors.js';

/** The request body as JSON, or a 400 invalid_request for a body that is not JSON. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_request', undefined, 'malformed JSON');
  }
}
