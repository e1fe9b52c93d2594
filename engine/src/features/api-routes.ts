import { analyticsRoutes } from './analytics/analytics.routes.js';
import { clientRoutes } from './clients/clients.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { sessionRoutes } from './sessions/sessions.routes.js';
import { userRoutes } from './users/users.routes.js';
import { syncRoutes } from './sync/sync.routes.js';
import { reconciliationRoutes } from './reconciliation/reconciliation.routes.js';

/** Every feature's authenticated /api routes, mounted by createApp after the auth middleware. */
export const apiRoutes = [importRoutes, clientRoutes, analyticsRoutes, sessionRoutes, userRoutes, syncRoutes, reconciliationRoutes];
