/**
 * The assisted registration module's facade (issue 16 items 2–3): Formulir 1A typed by a counter or SPO officer
 * (through the registration module's use cases: the same rules and registry check), the counter's cash/EDC payments
 * (through the payments module's settlement, channel `counter`) and the e-survey after a counter registration.
 * Other modules, src/web and the composition root import this module only through this file.
 */
export { type AssistedForm, type AssistedState, type AssistedView, assistedView, counterPost, type CounterPost, registerAtCounter, resendAtCounter, verifyAtCounter } from './assisted.js';
export { assistedRegistrationRoutes } from './assisted.routes.js';
export { type CounterPaymentInput, type CounterPaymentOutcome, payAtCounter } from './counter-payment.js';
export { averageRating, channelOf, COUNTER_PAYMENT_METHODS, type CounterPaymentMethod, counterExternalId, isApprovalCode, isIdempotencyKey } from './domain/counter-rules.js';
export { answerSurvey, surveyState, surveySummary, type SurveySummary } from './survey.js';
