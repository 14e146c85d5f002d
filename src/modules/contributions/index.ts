/**
 * The contributions module's facade: the rule book, pricing, due dates, bills, dues batches, the holiday calendar and their routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { findPaymentReceipt, type PaymentReceipt, receiptLines, renderReceiptPdf } from './receipt.js';
export { billStatusAt, type BillView, cancelOpenBills, findBillByCode, findBillLines, findLatestRegistrationBill, findOpenMemberBill, findPaidBills, findSubmittedBill, findVaPaymentTarget, groupLines, insertBill, maskName, toBillView } from './bills.js';
export { type BillToPay, findBillToPay } from './bill-to-pay.js';
export { contributionRoutes } from './contributions.routes.js';
export { benefitsFor, projectJhtBalance } from './domain/benefits.js';
export { dueDate, isWorkingDay, nextWorkingDay } from './domain/due-date.js';
export { contributionBase, discountRuleFor, priceContribution, type Quote, type QuoteMonth, type QuoteRejection } from './domain/price-contribution.js';
export { benefitParametersAt, type BenefitParameters, defaultRuleBook, type Funding, jhtSelfServiceCap, holidayCalendarMissing, MANDATORY_PROGRAMS, prepayHorizonMonths, type Program, PROGRAMS, requireInForce, type RuleBook, type Sector } from './domain/rule-book.js';
export { type DuesCover, type DuesPriceLine, newPaymentCodes, openDuesBatch } from './dues.js';
export { loadHolidayYears, putHolidayYear, refreshHolidayCalendar, type StoredHolidayYear, yearsMissingCalendar } from './holiday-calendar.js';
export { HOLIDAY_KINDS, type Holiday } from './domain/rule-book.js';
export { holidayRoutes } from './holiday.routes.js';
export { fundingInForce, type FundingFrom, fundingKey, parseFundingKey } from './domain/funding.js';
