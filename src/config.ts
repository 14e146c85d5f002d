import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { parseRateLimits, type RateLimits } from './http/rate-limits.js';
import { DEV_NIK_HASH_KEY, DEV_NIK_KEYS, type NikKeys, parseNikKeys } from './modules/identity/index.js';
import { DEV_SNAP_PARTNER_PUBLIC_KEY } from './modules/payments/index.js';

/**
 * Configuration from the environment, parsed once at start. Production is the default (NODE_ENV unset): it refuses to
 * start while any secret still has its development default, without an https PUBLIC_BASE_URL, or with the
 * repository's test SNAP key. Development (NODE_ENV=development, or `test`) has to be asked for; `npm start` asks for it
 * (package.json) so that the README's two commands run on a laptop, while the compiled server run directly (Docker,
 * systemd) is production.
 */
const DEV_DEFAULTS = {
  PAYMENT_WEBHOOK_SECRET: 'dev-webhook-secret',
  OTP_SECRET: 'dev-otp-secret',
  CARD_SIGNING_SEED: 'dev-card-signing-seed',
  STAFF_API_KEY: 'dev-staff-key',
  COOKIE_SECRET: 'dev-cookie-secret',
} as const;

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default('./data'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  PAYMENT_WEBHOOK_SECRET: z.string().min(1).default(DEV_DEFAULTS.PAYMENT_WEBHOOK_SECRET),
  OTP_SECRET: z.string().min(1).default(DEV_DEFAULTS.OTP_SECRET),
  CARD_SIGNING_SEED: z.string().min(1).default(DEV_DEFAULTS.CARD_SIGNING_SEED),
  STAFF_API_KEY: z.string().min(1).default(DEV_DEFAULTS.STAFF_API_KEY),
  COOKIE_SECRET: z.string().min(1).default(DEV_DEFAULTS.COOKIE_SECRET),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(1).default(720),
  SPONSORSHIP_CONSENT_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  FIRST_BILL_TTL_HOURS: z.coerce.number().min(1).max(24 * 30).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Lindung <no-reply@lindung.local>'),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  SMS_SENDER_ID: z.string().default('LINDUNG'),
  IDENTITY_PROVIDER: z.enum(['dev', 'http']).default('dev'),
  IDENTITY_URL: z.string().url().optional(),
  IDENTITY_USER: z.string().default(''),
  IDENTITY_PASSWORD: z.string().default(''),
  WORKER: z.enum(['on', 'off']).default('on'),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(8).optional(),
  JOB_LANES: z.coerce.number().int().min(1).max(8).optional(),
  SETTLEMENT_BATCH_SIZE: z.coerce.number().int().min(1).max(64).default(64),
  SETTLEMENT_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(1),
  SETTLEMENT_ENGINE: z.enum(['set-based', 'per-payment']).default('set-based'),
  MIDTRANS_SERVER_KEY: z.string().min(1).optional(),
  XENDIT_CALLBACK_TOKEN: z.string().min(1).optional(),
  SNAP_CLIENT_ID: z.string().min(1).optional(),
  SNAP_CLIENT_SECRET: z.string().min(1).optional(),
  SNAP_PARTNER_PUBLIC_KEY: z.string().min(1).optional(),
  SNAP_PARTNER_SERVICE_ID: z.string().regex(/^[ 0-9]{8}$/).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  READINESS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  RATE_LIMITS: z.string().optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  DOCUMENT_STORE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  PAYOUT_PROVIDER: z.enum(['dev', 'xendit']).optional(),
  XENDIT_SECRET_KEY: z.string().min(1).optional(),
  XENDIT_API_URL: z.string().url().default('https://api.xendit.co'),
  CLAIMS_STRAIGHT_THROUGH: z.enum(['on', 'off']).default('off'),
  CLAIMS_STRAIGHT_THROUGH_SHARE: z.coerce.number().int().min(0).max(100).default(5),
  PAYOUT_ATTEMPTS_MAX: z.coerce.number().int().min(1).max(10).default(3),
  NIK_KEYS: z.string().min(1).optional(),
  NIK_HASH_KEY: z.string().min(1).optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  isDevelopment: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  publicBaseUrl: string;
  paymentWebhookSecret: string;
  otpSecret: string;
  cardSigningSeed: string;
  staffApiKey: string;
  /** Keys the web portal's sealed cookies (registration drafts, login phone) and CSRF tokens. */
  cookieSecret: string;
  sessionTtlMinutes: number;
  /** Days a Sertakan consent request waits for the worker before it expires (SPONSORSHIP_CONSENT_DAYS, default 7). */
  sponsorshipConsentDays: number;
  firstBillTtlHours: number | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  sms: { url: string; token: string; senderId: string } | undefined;
  /** The SMS sender name people see (SMS_SENDER_ID, default LINDUNG); the portal names it so a message from anyone else looks wrong. */
  smsSenderId: string;
  identity: { kind: 'dev' } | { kind: 'http'; url: string; userId: string; password: string };
  worker: boolean;
  /**
   * Jobs the background job runner runs side by side (JOB_CONCURRENCY). Default 2 on PostgreSQL — the 1st of the month's
   * dues opening and status check then run together (docs/benchmarks.md, monthly cycle) — and 1 on the embedded
   * database, whose single connection would only interleave them.
   */
  jobConcurrency: number;
  /**
   * Lanes a job that walks every participant (dues opening, reminders, status check) is cut into and walked side by
   * side, each lane on its own connection (JOB_LANES; jobs/batch-walk.ts). Default 2 on PostgreSQL, where one lane's
   * statements keep one server core busy, and 1 on the embedded database.
   */
  jobLanes: number;
  /**
   * Bill payments settled together in one transaction when they arrive while another settlement is running (group
   * commit; SETTLEMENT_BATCH_SIZE, 1 to 64, default 64; 1 = each in its own transaction) and how many such
   * transactions run at once (SETTLEMENT_BATCH_CONCURRENCY, default 1). src/modules/payments/settlement.ts.
   */
  settlementBatchSize: number;
  settlementBatchConcurrency: number;
  /**
   * How a batch of several payments is settled (SETTLEMENT_ENGINE): `set-based` (default, `lindung_settle_batch`:
   * multi-row statements for the common case) or `per-payment` (`lindung_apply_payments`: one function call per
   * payment), kept so that the benchmark measures both in one run. Both decide every payment the same way.
   */
  settlementEngine: 'set-based' | 'per-payment';
  /**
   * Payment channel credentials. Outside production each channel has development defaults (README); in production a
   * channel is on only when its credentials are set, and its endpoints refuse every call otherwise.
   */
  channels: {
    midtrans: { serverKey: string } | undefined;
    xendit: { callbackToken: string } | undefined;
    /** BI-SNAP virtual accounts: the bank's client id/secret, its RSA public key (PEM), our 8-character partnerServiceId. */
    snap: { clientId: string; clientSecret: string; partnerPublicKeyPem: string; partnerServiceId: string } | undefined;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Bearer token of `GET /metrics` (METRICS_TOKEN). Unset: /metrics is served without a token in development and not
   * at all (404) in production.
   */
  metricsToken: string | undefined;
  /**
   * Resilience (README, "Resilience"): waiting for a PostgreSQL connection (DATABASE_CONNECT_TIMEOUT_MS), PostgreSQL's
   * statement_timeout for every session of the serving pool (DATABASE_STATEMENT_TIMEOUT_MS), the deadline of one HTTP
   * request after which it is answered 503 (REQUEST_TIMEOUT_MS), how long GET /readyz waits for `select 1`
   * (READINESS_TIMEOUT_MS), and how long SIGTERM/SIGINT wait for in-flight work before closing (SHUTDOWN_TIMEOUT_MS).
   */
  databaseConnectTimeoutMs: number;
  databaseStatementTimeoutMs: number;
  requestTimeoutMs: number;
  readinessTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** Traffic limits per bucket (RATE_LIMITS; defaults in http/rate-limits.ts); null = off. */
  rateLimits: RateLimits;
  /** Reverse proxies in front of the server whose X-Forwarded-For entries are trusted for the client IP (TRUST_PROXY, 0 = none). */
  trustProxy: number;
  /**
   * Where claim documents are kept (DOCUMENT_STORE): `local` (default) = `<DATA_DIR>/documents`; `s3` = an
   * S3-compatible bucket (S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY; all needed).
   */
  documents: { kind: 'local' } | { kind: 's3'; s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } };
  /**
   * Who sends benefit payouts (PAYOUT_PROVIDER): `xendit` (XENDIT_SECRET_KEY, XENDIT_API_URL; callbacks checked
   * against XENDIT_CALLBACK_TOKEN) or `dev`, the stand-in that confirms within one job run (development only). Default:
   * `xendit` when XENDIT_SECRET_KEY is set, else `dev` outside production; undefined = payouts off.
   */
  payouts: { kind: 'dev' } | { kind: 'xendit'; secretKey: string; apiUrl: string; callbackToken: string } | undefined;
  /**
   * Straight-through claims (CLAIMS_STRAIGHT_THROUGH=on|off, default off): a JHT claim within the self-service cap
   * whose every check passes is verified automatically when filed, except CLAIMS_STRAIGHT_THROUGH_SHARE percent
   * (default 5) of them, chosen deterministically from the claim id, which still go to an officer.
   */
  claimsStraightThrough: { on: boolean; sharePercent: number };
  /** Transfers tried per payout before it is left `failed` for staff to re-issue (PAYOUT_ATTEMPTS_MAX, default 3). */
  payoutAttemptsMax: number;
  /**
   * The keys of the NIK at rest (docs/security.md): NIK_KEYS `k2:<base64 32 bytes>,k1:<…>` (the first seals, all open)
   * and NIK_HASH_KEY (hex, ≥ 32 bytes) for the keyed hash. Outside production the published development keys when
   * unset; production refuses to start without both.
   */
  nik: NikKeys;
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    refuseWhatProductionMayNotRunWith(e);
  }
  if (e.IDENTITY_PROVIDER === 'http' && !e.IDENTITY_URL) {
    throw new ConfigError('IDENTITY_PROVIDER=http needs IDENTITY_URL');
  }
  if (e.SMS_GATEWAY_URL && !e.SMS_GATEWAY_TOKEN) {
    throw new ConfigError('SMS_GATEWAY_URL needs SMS_GATEWAY_TOKEN');
  }
  const rateLimits = parseRateLimits(e.RATE_LIMITS);
  if (!rateLimits.ok) {
    throw new ConfigError(rateLimits.error);
  }
  return {
    env: e.NODE_ENV,
    isDevelopment: e.NODE_ENV !== 'production',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    paymentWebhookSecret: e.PAYMENT_WEBHOOK_SECRET,
    otpSecret: e.OTP_SECRET,
    cardSigningSeed: e.CARD_SIGNING_SEED,
    staffApiKey: e.STAFF_API_KEY,
    cookieSecret: e.COOKIE_SECRET,
    sessionTtlMinutes: e.SESSION_TTL_MINUTES,
    sponsorshipConsentDays: e.SPONSORSHIP_CONSENT_DAYS,
    firstBillTtlHours: e.FIRST_BILL_TTL_HOURS,
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    sms: e.SMS_GATEWAY_URL && e.SMS_GATEWAY_TOKEN ? { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN, senderId: e.SMS_SENDER_ID } : undefined,
    smsSenderId: e.SMS_SENDER_ID,
    identity:
      e.IDENTITY_PROVIDER === 'http' && e.IDENTITY_URL
        ? { kind: 'http', url: e.IDENTITY_URL, userId: e.IDENTITY_USER, password: e.IDENTITY_PASSWORD }
        : { kind: 'dev' },
    worker: e.WORKER === 'on',
    jobConcurrency: e.JOB_CONCURRENCY ?? (e.DATABASE_URL ? 2 : 1),
    jobLanes: e.JOB_LANES ?? (e.DATABASE_URL ? 2 : 1),
    settlementBatchSize: e.SETTLEMENT_BATCH_SIZE,
    settlementBatchConcurrency: e.SETTLEMENT_BATCH_CONCURRENCY,
    settlementEngine: e.SETTLEMENT_ENGINE,
    channels: channelsConfig(e),
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    rateLimits: rateLimits.value,
    trustProxy: e.TRUST_PROXY,
    documents: documentsConfig(e),
    payouts: payoutsConfig(e),
    claimsStraightThrough: { on: e.CLAIMS_STRAIGHT_THROUGH === 'on', sharePercent: e.CLAIMS_STRAIGHT_THROUGH_SHARE },
    payoutAttemptsMax: e.PAYOUT_ATTEMPTS_MAX,
    nik: nikKeysConfig(e),
  };
}

/** NIK_KEYS and NIK_HASH_KEY; the development keys (identity's DEV_NIK_KEYS) outside production when unset. */
export function nikKeysConfig(e: { NODE_ENV?: string | undefined; NIK_KEYS?: string | undefined; NIK_HASH_KEY?: string | undefined }): NikKeys {
  const dev = e.NODE_ENV === 'development' || e.NODE_ENV === 'test';
  if (!dev && (!e.NIK_KEYS || !e.NIK_HASH_KEY)) {
    throw new ConfigError('production needs NIK_KEYS and NIK_HASH_KEY (the NIK is stored sealed and hashed; docs/security.md)');
  }
  const parsed = parseNikKeys(e.NIK_KEYS ?? DEV_NIK_KEYS, e.NIK_HASH_KEY ?? DEV_NIK_HASH_KEY);
  if (!parsed.ok) {
    throw new ConfigError(parsed.error);
  }
  if (!dev && (parsed.value.seal.some((k) => DEV_NIK_KEYS.endsWith(k.key.toString('base64'))) || e.NIK_HASH_KEY === DEV_NIK_HASH_KEY)) {
    throw new ConfigError('production refuses development default secrets: set NIK_KEYS, NIK_HASH_KEY');
  }
  return parsed.value;
}

function documentsConfig(e: z.infer<typeof ZEnv>): Config['documents'] {
  if (e.DOCUMENT_STORE === 'local') {
    return { kind: 'local' };
  }
  const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = e;
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) {
    throw new ConfigError('DOCUMENT_STORE=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  return { kind: 's3', s3: { endpoint, bucket, region: e.S3_REGION, accessKeyId, secretAccessKey } };
}

function payoutsConfig(e: z.infer<typeof ZEnv>): Config['payouts'] {
  const dev = e.NODE_ENV !== 'production';
  const provider = e.PAYOUT_PROVIDER ?? (e.XENDIT_SECRET_KEY ? 'xendit' : dev ? 'dev' : undefined);
  if (provider === 'dev') {
    if (!dev) throw new ConfigError('PAYOUT_PROVIDER=dev is a development stand-in: production needs PAYOUT_PROVIDER=xendit');
    return { kind: 'dev' };
  }
  if (provider === undefined) {
    return undefined;
  }
  const callbackToken = channelsConfig(e).xendit?.callbackToken;
  if (!e.XENDIT_SECRET_KEY || !callbackToken) {
    throw new ConfigError('PAYOUT_PROVIDER=xendit needs XENDIT_SECRET_KEY and XENDIT_CALLBACK_TOKEN');
  }
  return { kind: 'xendit', secretKey: e.XENDIT_SECRET_KEY, apiUrl: e.XENDIT_API_URL.replace(/\/$/, ''), callbackToken };
}

/** Production refuses development default secrets, a base URL that is not https, and the repository's test SNAP key. */
function refuseWhatProductionMayNotRunWith(e: z.infer<typeof ZEnv>): void {
  const defaulted = (Object.keys(DEV_DEFAULTS) as (keyof typeof DEV_DEFAULTS)[]).filter((k) => e[k] === DEV_DEFAULTS[k]);
  if (defaulted.length > 0) {
    throw new ConfigError(`production refuses development default secrets: set ${defaulted.join(', ')}`);
  }
  // A channel credential set explicitly to its published development value is no secret either.
  const devChannel = (
    [
      ['MIDTRANS_SERVER_KEY', DEV_CHANNELS.midtransServerKey],
      ['XENDIT_CALLBACK_TOKEN', DEV_CHANNELS.xenditCallbackToken],
      ['SNAP_CLIENT_SECRET', DEV_CHANNELS.snapClientSecret],
    ] as const
  ).filter(([k, v]) => e[k] === v);
  if (devChannel.length > 0) {
    throw new ConfigError(`production refuses development default secrets: set ${devChannel.map(([k]) => k).join(', ')}`);
  }
  if (!e.PUBLIC_BASE_URL?.startsWith('https://')) {
    throw new ConfigError(
      `production needs PUBLIC_BASE_URL, the server's public https:// address (links in emails, the card's QR code); it is ${e.PUBLIC_BASE_URL ?? 'unset'}`,
    );
  }
  if (e.SNAP_PARTNER_PUBLIC_KEY && isDevSnapKey(e.SNAP_PARTNER_PUBLIC_KEY)) {
    throw new ConfigError("production refuses the repository's test key as SNAP_PARTNER_PUBLIC_KEY: set the bank's own public key");
  }
}

/** Whether a PEM (`\\n` escapes accepted) is the development SNAP key, in whatever encoding of the same key. */
function isDevSnapKey(pem: string): boolean {
  const der = (text: string) => createPublicKey(text.replace(/\\n/g, '\n')).export({ type: 'spki', format: 'der' });
  try {
    return der(pem).equals(der(DEV_SNAP_PARTNER_PUBLIC_KEY));
  } catch {
    return false; // not a readable public key: not the test key (the SNAP channel refuses a key it cannot read)
  }
}

/** Development defaults for the payment channels (README, "Payment channels"); never used in production. */
const DEV_CHANNELS = {
  midtransServerKey: 'dev-midtrans-server-key',
  xenditCallbackToken: 'dev-xendit-callback-token',
  snapClientId: 'lindung-dev-bank',
  snapClientSecret: 'dev-snap-client-secret',
  snapPartnerServiceId: '   88899',
} as const;

function channelsConfig(e: z.infer<typeof ZEnv>): Config['channels'] {
  const dev = e.NODE_ENV !== 'production';
  const serverKey = e.MIDTRANS_SERVER_KEY ?? (dev ? DEV_CHANNELS.midtransServerKey : undefined);
  const callbackToken = e.XENDIT_CALLBACK_TOKEN ?? (dev ? DEV_CHANNELS.xenditCallbackToken : undefined);
  const snapClientId = e.SNAP_CLIENT_ID ?? (dev ? DEV_CHANNELS.snapClientId : undefined);
  const snapClientSecret = e.SNAP_CLIENT_SECRET ?? (dev ? DEV_CHANNELS.snapClientSecret : undefined);
  const snapKey = e.SNAP_PARTNER_PUBLIC_KEY ?? (dev ? DEV_SNAP_PARTNER_PUBLIC_KEY : undefined);
  const snapServiceId = e.SNAP_PARTNER_SERVICE_ID ?? DEV_CHANNELS.snapPartnerServiceId;
  return {
    midtrans: serverKey ? { serverKey } : undefined,
    xendit: callbackToken ? { callbackToken } : undefined,
    snap:
      snapClientId && snapClientSecret && snapKey
        ? { clientId: snapClientId, clientSecret: snapClientSecret, partnerPublicKeyPem: snapKey.replace(/\\n/g, '\n'), partnerServiceId: snapServiceId }
        : undefined,
  };
}
