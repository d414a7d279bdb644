import type { AppContext } from '../app.js';
import type { AnyRoute } from '../route.js';
import { accessRoutes } from './access.js';
import { caseRoutes } from './cases.js';
import { exploreRoutes } from './explore.js';
import { metaRoutes } from './meta.js';
import { monitoringRoutes } from './monitoring.js';
import { reportRoutes } from './reports.js';

/** Every route of the API, in the order of the OpenAPI document. */
export function allRoutes(ctx: AppContext): AnyRoute[] {
  return [...metaRoutes(ctx), ...accessRoutes(ctx), ...monitoringRoutes(ctx), ...caseRoutes(ctx), ...reportRoutes(ctx), ...exploreRoutes(ctx)];
}
