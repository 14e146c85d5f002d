import { isJsonObject as isObject, type JsonObject } from '../../../http/signed-json.js';
import { PAYMENT_AMOUNT_MAX } from '../apply-payment.js';

/**
 * Reading SNAP request bodies. A problem is thrown as a SnapFieldError naming the SNAP field, and the route answers
 * `400xx02 Invalid Mandatory Field [field]` (missing) or `400xx01 Invalid Field Format [field]` (present but wrong).
 */
export class SnapFieldError extends Error {
  constructor(
    readonly kase: 'invalidMandatoryField' | 'invalidFieldFormat',
    readonly field: string,
  ) {
    super(`${kase} ${field}`);
  }
}

export { isObject, type JsonObject };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(o: JsonObject, field: string, max: number, pattern: RegExp | undefined, path: string): string | undefined {
  const v = o[field];
  if (v === undefined || v === null || v === '') {
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max || CONTROL.test(v) || (pattern && !pattern.test(v))) {
    throw new SnapFieldError('invalidFieldFormat', path);
  }
  return v;
}

/** A mandatory string of at most `max` characters, printable, optionally matching `pattern`. */
export function requiredText(o: JsonObject, field: string, max: number, pattern?: RegExp, prefix = ''): string {
  const v = text(o, field, max, pattern, prefix + field);
  if (v === undefined) {
    throw new SnapFieldError('invalidMandatoryField', prefix + field);
  }
  return v;
}

export function optionalText(o: JsonObject, field: string, max: number, pattern?: RegExp, prefix = ''): string | undefined {
  return text(o, field, max, pattern, prefix + field);
}

/** SNAP amounts: `{"value":"16800.00","currency":"IDR"}` — value String(16,2) with 2 decimals; IDR only here. */
const AMOUNT_VALUE = /^(0|[1-9]\d{0,13})(?:\.(\d{1,2}))?$/;

/** Whole rupiah from a SNAP amount object; a non-zero fraction, zero, or a currency other than IDR is refused. */
export function readAmount(o: JsonObject, field: string, required: boolean): number | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) {
      throw new SnapFieldError('invalidMandatoryField', field);
    }
    return undefined;
  }
  if (!isObject(v)) {
    throw new SnapFieldError('invalidFieldFormat', field);
  }
  const value = requiredText(v, 'value', 19, AMOUNT_VALUE, `${field}.`);
  const currency = requiredText(v, 'currency', 3, undefined, `${field}.`);
  if (currency !== 'IDR') {
    throw new SnapFieldError('invalidFieldFormat', `${field}.currency`);
  }
  const m = AMOUNT_VALUE.exec(value) as RegExpExecArray;
  const rupiah = Number(m[1]);
  if ((m[2] !== undefined && !/^0+$/.test(m[2])) || rupiah <= 0 || rupiah > PAYMENT_AMOUNT_MAX) {
    throw new SnapFieldError('invalidFieldFormat', `${field}.value`);
  }
  return rupiah;
}

/** Whole rupiah → the SNAP amount object. */
export function snapAmount(rupiah: number): { value: string; currency: 'IDR' } {
  return { value: `${rupiah}.00`, currency: 'IDR' };
}
