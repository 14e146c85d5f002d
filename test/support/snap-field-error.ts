import { SnapFieldError } from '../../src/modules/payments/snap/fields.js';

/** The SnapFieldError a SNAP body reader throws, as `{ kase, field }`; null when it reads the body without one. */
export function fieldError(fn: () => unknown): { kase: string; field: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof SnapFieldError) {
      return { kase: err.kase, field: err.field };
    }
    throw err;
  }
}
