/** Dashboards (issue 16): figures for supervisors and admins, as JSON, CSV and server-drawn SVG charts. */
export { claimsByAge, collections, figureCsv, FIGURES, membershipStatus, newMembers, payoutsByStatus, type CsvTable, type Figure } from './dashboards.js';
export { csvResponse, dashboardRoutes } from './dashboards.routes.js';
export { AGE_BUCKETS, NEW_MEMBER_WINDOWS, toCsv, type NewMemberWindow } from './figures.js';
export { barChart, lineChart, type ChartSeries } from './charts.js';
export { refreshDashboardRollup, ROLLUP_DAYS } from './rollup.js';
