import { analyticsRoutes } from './analytics/analytics.routes.js';
import { clientRoutes } from './clients/clients.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { sessionRoutes } from './sessions/sessions.routes.js';
import { userRoutes } from './users/users.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { performanceRoutes } from './performance/performance.routes.js';
import { portfolioRoutes } from './portfolios/portfolios.routes.js';
import { viewRoutes } from './views/views.routes.js';
import { syncRoutes } from './sync/sync.routes.js';
import { reconciliationRoutes } from './reconciliation/reconciliation.routes.js';
import { complianceRoutes } from './compliance/compliance.routes.js';
import { exportRoutes } from './export/export.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { eventRoutes } from './notifications/events.routes.js';

/** Every feature's authenticated /api routes, mounted by createApp after the auth middleware. */
export const apiRoutes = [importRoutes, clientRoutes, analyticsRoutes, sessionRoutes, userRoutes, auditRoutes, dashboardRoutes, performanceRoutes, portfolioRoutes, viewRoutes, syncRoutes, reconciliationRoutes, complianceRoutes, exportRoutes, reportRoutes, eventRoutes];
