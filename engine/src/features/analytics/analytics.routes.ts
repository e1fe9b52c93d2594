import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.js';
import { bookRoutes } from './book.routes.js';
import { calculatorRoutes } from './calculators.routes.js';

/** Every /api/analytics route: stateless calculators and the precomputed book. */
export const analyticsRoutes = new OpenAPIHono<AppEnv>().route('/', calculatorRoutes).route('/', bookRoutes);
