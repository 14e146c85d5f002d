/** A posted form field as a string ('' when absent or a file), whole: each page says how much of it it reads. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
