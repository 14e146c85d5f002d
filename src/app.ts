import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { devRoutes } from './dev/dev.routes.js';
import { portalSimulators } from './dev/portal-simulators.js';
import type { Deps } from './deps.js';
import { API_BODY_MAX_BYTES, apiBodyLimit, noStoreByDefault } from './http/body-limit.js';
import { createErrorHandler, errorResponse } from './http/errors.js';
import { metricsHandler, observeRequests } from './http/observability.js';
import { readinessHandler, requestDeadline, type Lifecycle } from './http/resilience.js';
import { apiRateLimits, createRateLimiter } from './http/rate-limiter.js';
import { contributionRoutes, refreshHolidayCalendar, holidayRoutes } from './modules/contributions/index.js';
import { autodebitRoutes } from './modules/autodebit/index.js';
import { memberClaimRoutes, payoutCallbackRoutes, payoutStaffRoutes, staffClaimRoutes } from './modules/claims/index.js';
import { counterQueueRoutes } from './modules/counter/index.js';
import { authRoutes, dataChangeRoutes, dataChangeStaffRoutes, fundingStaffRoutes, meRoutes, staffRoutes } from './modules/membership/index.js';
import { channelRoutes, paymentRoutes, snapAccessTokenRateLimited, snapRoutes } from './modules/payments/index.js';
import { reconciliationRoutes } from './modules/reconciliation/index.js';
import { referenceRoutes } from './modules/reference/index.js';
import { registrationDraftRoutes, registrationRoutes } from './modules/registration/index.js';
import { jhtRateRoutes, jhtRoutes } from './modules/jht/index.js';
import { contactCentreRoutes } from './modules/contact-centre/index.js';
import { assistedRegistrationRoutes } from './modules/assisted-registration/index.js';
import { claimDocumentRoutes, isClaimDocumentUploadPath } from './modules/claims/index.js';
import { heirRoutes, heirStaffRoutes } from './modules/heirs/index.js';
import { branchRoutes, occupationRoutes, servicePointRoutes, staffAdminRoutes, staffSessionRoutes } from './modules/staff/index.js';
import { dashboardRoutes } from './modules/dashboards/index.js';
import { walletRoutes } from './modules/wallet/index.js';
import { agentMasterDataRoutes, agentRoutes, agentStaffRoutes, receiptRoutes } from './modules/agents/index.js';
import { agentIncentiveRoutes, staffIncentiveRoutes } from './modules/incentives/index.js';
import { BATCHES_PATH, partnerRoutes, partnerStaffRoutes, partnerTokenRoutes } from './modules/partners/index.js';
import { partnerWebhookApi } from './modules/webhooks/index.js';
import { ROSTERS_PATH, rosterPartnerRoutes, rosterStaffRoutes } from './modules/rosters/index.js';
import { sponsorshipRoutes } from './modules/sponsorship/index.js';
import type { AdjustableClock } from './shared/clock.js';
import { isBrowserPageRequest, isPortalPath, portalRoutes } from './web/portal.js';

export const API_VERSION = '1.0.0';

/** /api/v1: every module's routes, in mounting order, and the OpenAPI document that lists them. */
function apiApp(deps: Deps): OpenAPIHono {
  const api = new OpenAPIHono();
  api.route('/', referenceRoutes(deps));
  api.route('/', contributionRoutes(deps));
  api.route('/', registrationRoutes(deps));
  api.route('/', paymentRoutes(deps));
  api.route('/', authRoutes(deps));
  api.route('/', meRoutes(deps));
  api.route('/', autodebitRoutes(deps));
  api.route('/', walletRoutes(deps));
  api.route('/', claimDocumentRoutes(deps));
  api.route('/', staffSessionRoutes(deps));
  api.route('/', staffAdminRoutes(deps));
  api.route('/', servicePointRoutes(deps));
  api.route('/', occupationRoutes(deps));
  api.route('/', branchRoutes(deps));
  api.route('/', staffRoutes(deps));
  api.route('/', reconciliationRoutes(deps));
  api.route('/', holidayRoutes(deps));
  api.route('/', jhtRoutes(deps));
  api.route('/', jhtRateRoutes(deps));
  api.route('/', memberClaimRoutes(deps));
  api.route('/', staffClaimRoutes(deps));
  api.route('/', heirRoutes(deps));
  api.route('/', heirStaffRoutes(deps));
  api.route('/', payoutStaffRoutes(deps));
  api.route('/', counterQueueRoutes(deps));
  api.route('/', dashboardRoutes(deps));
  api.route('/', contactCentreRoutes(deps));
  api.route('/', assistedRegistrationRoutes(deps));
  api.route('/', registrationDraftRoutes(deps));
  api.route('/', dataChangeRoutes(deps));
  api.route('/', dataChangeStaffRoutes(deps));
  api.route('/', fundingStaffRoutes(deps));
  // Before agentRoutes: the snapshot is public reference data, outside the agent API's participant guard on /agent/*.
  api.route('/', agentMasterDataRoutes(deps));
  api.route('/', agentRoutes(deps));
  api.route('/', agentStaffRoutes(deps));
  api.route('/', receiptRoutes(deps));
  api.route('/', agentIncentiveRoutes(deps));
  api.route('/', staffIncentiveRoutes(deps));
  api.route('/', partnerTokenRoutes(deps));
  api.route('/', partnerRoutes(deps));
  api.route('/', partnerStaffRoutes(deps));
  api.route('/', partnerWebhookApi(deps));
  api.route('/', rosterPartnerRoutes(deps));
  api.route('/', rosterStaffRoutes(deps));
  api.route('/', sponsorshipRoutes(deps));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Lindung — BPJS Ketenagakerjaan BPU API',
      version: API_VERSION,
      description:
        'Public HTTP API v1: quotes, registration, bills, payment notifications, self-service and card verification. ' +
        `Any request body over ${API_BODY_MAX_BYTES / 1024} KiB (the settlement-file and claim-document uploads excepted) is refused with 413 payload_too_large. ` +
        'Sign-in, registration, quotes and staff-key failures are rate-limited per client IP (and per phone where the body names one): 429 rate_limited with Retry-After.',
    },
    servers: [{ url: '/api/v1' }],
  });
  return api;
}

/**
 * The whole HTTP surface. `clock` is the movable clock that /dev/clock drives (development mode only); `lifecycle`
 * tells /readyz when the process drains for shutdown.
 */
export function createApp(deps: Deps, clock: AdjustableClock, lifecycle: Lifecycle = { draining: false }) {
  const app = new OpenAPIHono();
  app.onError(createErrorHandler(deps.logger));
  app.use('*', observeRequests(deps.logger, deps.metrics));
  app.use('*', requestDeadline(deps.config.requestTimeoutMs));
  // Bodies are limited before any other work; the portal, BI-SNAP, the settlement-file upload and the claim-document
  // uploads limit their own.
  app.use(
    '*',
    apiBodyLimit((path) => isPortalPath(path) || path.startsWith('/snap/') || path === '/api/v1/staff/reconciliation-runs' || isClaimDocumentUploadPath(path) || path === BATCHES_PATH || path === ROSTERS_PATH),
  );
  app.use('*', secureHeaders());
  for (const prefix of ['/api/*', '/snap/*', '/dev/*']) {
    app.use(prefix, noStoreByDefault((path) => path === '/api/v1/openapi.json'));
  }
  // Rate limits (RATE_LIMITS; counters in the database, shared by every instance): API here, portal forms in web/limits.ts.
  const limiter = createRateLimiter(deps);
  for (const [method, path, handler] of apiRateLimits(deps, limiter, snapAccessTokenRateLimited(deps))) {
    app.on(method, path, handler);
  }
  // The rules read the holiday calendar from deps.rules; this keeps it loaded from the database (holiday-calendar.ts).
  app.use('*', async (c, next) => {
    if (!['/healthz', '/readyz', '/metrics'].includes(c.req.path)) {
      await refreshHolidayCalendar(deps);
    }
    await next();
  });
  // The participant web portal (server-rendered pages); /api, /dev and /healthz pass through its middleware. In
  // development it also mounts the payment simulators (src/dev/portal-simulators.tsx).
  const portal = portalRoutes(deps, (request) => Promise.resolve(app.fetch(request)), limiter, deps.config.isDevelopment ? portalSimulators : null);
  app.route('/', portal.app);
  app.notFound((c) => (isPortalPath(c.req.path) || isBrowserPageRequest(c.req.method, c.req.path, c.req.header('accept')) ? portal.notFound(c as never) : errorResponse(c, 'not_found')));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', metricsHandler(deps.config, deps.metrics));
  app.get('/readyz', readinessHandler(deps.db, deps.config.readinessTimeoutMs, lifecycle));

  app.route('/api/v1', apiApp(deps));
  // Payment channels that speak their own protocols; each normalises into the same payment event.
  app.route('/api/v1/channels', channelRoutes(deps));
  // The disbursement provider's callback (claim payouts).
  app.route('/api/v1/payouts', payoutCallbackRoutes(deps));
  app.route('/snap', snapRoutes(deps));

  if (deps.config.isDevelopment) {
    app.route('/dev', devRoutes(deps, clock));
  }
  return app;
}
