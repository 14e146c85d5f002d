/**
 * BI-SNAP response codes: `responseCode = HTTP status (3) + service code (2) + case code (2)`, `responseMessage` at most
 * 150 characters (ASPI SNAP developer site, "Daftar Response Code", mirrored in mseptiaan/snap-aspi-go aspi/keamanan.md,
 * aspi/virtual-account.md and aspi/mpm.md; integrations.md §2.5). The first three digits are always the HTTP status of
 * the response that carries the code.
 */

/** Service codes of the endpoints Lindung serves (ASPI "Informasi Umum" of each API). */
export const SNAP_SERVICE = {
  /** POST /{version}/access-token/b2b */
  accessTokenB2b: '73',
  /** POST /{version}/transfer-va/inquiry */
  vaInquiry: '24',
  /** POST /{version}/transfer-va/payment */
  vaPayment: '25',
  /** POST /{version}/qr/qr-mpm-notify */
  qrMpmNotify: '52',
} as const;
export type SnapService = (typeof SNAP_SERVICE)[keyof typeof SNAP_SERVICE];

/**
 * The cases Lindung answers with (HTTP status, case code, the standard's message). A `[detail]` is appended to the
 * message where the standard's message has a placeholder (`Invalid Field Format {field name}`, `Unauthorized. [reason]`,
 * `Invalid Bill/Virtual Account [Reason]`).
 */
export const SNAP_CASES = {
  success: { http: 200, case: '00', message: 'Successful' },
  badRequest: { http: 400, case: '00', message: 'Bad Request' },
  invalidFieldFormat: { http: 400, case: '01', message: 'Invalid Field Format' },
  invalidMandatoryField: { http: 400, case: '02', message: 'Invalid Mandatory Field' },
  unauthorized: { http: 401, case: '00', message: 'Unauthorized.' },
  invalidToken: { http: 401, case: '01', message: 'Invalid Token (B2B)' },
  billNotFound: { http: 404, case: '12', message: 'Invalid Bill/Virtual Account' },
  invalidAmount: { http: 404, case: '13', message: 'Invalid Amount' },
  paidBill: { http: 404, case: '14', message: 'Paid Bill' },
  /** ASPI: for a VA payment this "should be considered as success" by the caller — the payment was already taken. */
  inconsistentRequest: { http: 404, case: '18', message: 'Inconsistent Request' },
  billExpired: { http: 404, case: '19', message: 'Invalid Bill/Virtual Account' },
  /** "Cannot use same X-EXTERNAL-ID in same day". */
  conflict: { http: 409, case: '00', message: 'Conflict' },
  /** ASPI "Too Many Requests" (429xx00): the client's request rate is over our limit (http/rate-limits.ts). */
  tooManyRequests: { http: 429, case: '00', message: 'Too Many Requests' },
  generalError: { http: 500, case: '00', message: 'General Error' },
  internalServerError: { http: 500, case: '01', message: 'Internal Server Error' },
} as const satisfies Record<string, { http: number; case: string; message: string }>;
export type SnapCase = keyof typeof SNAP_CASES;

export const SNAP_RESPONSE_MESSAGE_MAX = 150;

export interface SnapStatus {
  httpStatus: (typeof SNAP_CASES)[SnapCase]['http'];
  responseCode: string;
  responseMessage: string;
}

export function snapResponseCode(service: SnapService, kase: SnapCase): string {
  const c = SNAP_CASES[kase];
  return `${c.http}${service}${c.case}`;
}

/** The status triple for a service and case; `detail` fills the message's placeholder, e.g. `[X-TIMESTAMP]`. */
export function snapStatus(service: SnapService, kase: SnapCase, detail?: string): SnapStatus {
  const c = SNAP_CASES[kase];
  const message = detail ? `${c.message} [${detail}]` : c.message;
  return { httpStatus: c.http, responseCode: snapResponseCode(service, kase), responseMessage: message.slice(0, SNAP_RESPONSE_MESSAGE_MAX) };
}
