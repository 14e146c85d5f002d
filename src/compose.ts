import { createApp } from './app.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/connect.js';
import type { Deps } from './deps.js';
import type { Lifecycle } from './http/resilience.js';
import { createDevDebitProvider, type DebitProvider } from './modules/autodebit/index.js';
import { createCardSigner } from './modules/cards/index.js';
import { defaultRuleBook, type RuleBook } from './modules/contributions/index.js';
import { createDevIdentityProvider, createHttpIdentityProvider } from './modules/identity/index.js';
import { startJobRunner } from './modules/jobs/index.js';
import { getCard } from './modules/membership/index.js';
import { partnerPort } from './modules/partners/index.js';
import { disbursementProviderFromConfig, type DisbursementProvider } from './modules/payouts/index.js';
import { startOutboxWorker, type Transports, createSmtpEmailSender, createHttpSmsSender } from './modules/notifications/index.js';
import { startWebhookWorker } from './modules/webhooks/index.js';
import { AdjustableClock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createMetrics, registerScrapeGauges } from './shared/metrics.js';

/** The rule book in force, with the policy values configuration may override (FIRST_BILL_TTL_HOURS). */
export function configuredRuleBook(config: Config): RuleBook {
  if (config.firstBillTtlHours === undefined) {
    return defaultRuleBook;
  }
  return {
    ...defaultRuleBook,
    firstBillLifetimeMs: config.firstBillTtlHours * 3_600_000,
    policySources: { ...defaultRuleBook.policySources, firstBillLifetimeMs: 'Configuration: FIRST_BILL_TTL_HOURS' },
  };
}

/** Assembles the dependencies and the app from configuration and an open database: the one composition root. */
export function compose(config: Config, handle: DatabaseHandle, options: { clock?: AdjustableClock; logger?: Logger; transports?: Transports; debit?: DebitProvider | null; disbursement?: DisbursementProvider | null } = {}) {
  const clock = options.clock ?? new AdjustableClock();
  const logger = options.logger ?? createLogger(config.logLevel);
  const deps: Deps = {
    config,
    db: handle.db,
    clock,
    rules: configuredRuleBook(config),
    identity:
      config.identity.kind === 'http'
        ? createHttpIdentityProvider({ url: config.identity.url, userId: config.identity.userId, password: config.identity.password })
        : createDevIdentityProvider(handle.db, config.nik),
    cardSigner: createCardSigner(config.cardSigningSeed),
    logger,
    metrics: createMetrics(),
    // Auto-debit: the deterministic stand-in outside production; in production off until a real provider adapter
    // (a bank's SNAP Direct Debit or an e-wallet's tokenized payments) is written and wired here (README).
    debit: options.debit !== undefined ? options.debit : config.isDevelopment ? createDevDebitProvider() : null,
    memberCard: getCard,
    partners: partnerPort,
    // Payouts: one provider instance per process (the dev stand-in keeps its transfers in memory).
    disbursement: options.disbursement !== undefined ? options.disbursement : (disbursementProviderFromConfig(config.payouts, () => clock.now()) ?? null),
  };
  const transports: Transports = options.transports ?? {
    email: config.smtpUrl ? createSmtpEmailSender({ url: config.smtpUrl, from: config.mailFrom }) : null,
    sms: config.sms ? createHttpSmsSender({ url: config.sms.url, token: config.sms.token, senderId: config.sms.senderId }) : null,
  };
  registerScrapeGauges(deps.metrics, { db: handle.db, clock, logger, pool: handle.pool });
  const lifecycle: Lifecycle = { draining: false };
  const app = createApp(deps, clock, lifecycle);
  return { deps, app, clock, transports, lifecycle, startWorker: () => startWorkers(deps, transports), startJobs: () => startJobRunner(deps, { concurrency: config.jobConcurrency, lanes: config.jobLanes }) };
}

/** The delivery loops of a process: the outbox worker (email, SMS) and the webhook worker; stop() stops both. */
function startWorkers(deps: Deps, transports: Transports): { stop(): Promise<void> } {
  const loops = [startOutboxWorker(deps, transports), startWebhookWorker(deps)];
  return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
}
