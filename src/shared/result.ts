/** Expected rejections are values with a stable snake_case code; unexpected failures are thrown. */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Rejected<C extends string> = { readonly ok: false; readonly code: C; readonly field?: string; readonly detail?: string };
export type Result<T, C extends string> = Ok<T> | Rejected<C>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function reject<C extends string>(code: C, field?: string, detail?: string): Rejected<C> {
  return field === undefined ? { ok: false, code, ...(detail ? { detail } : {}) } : { ok: false, code, field, ...(detail ? { detail } : {}) };
}

export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
