/** Every feature router, in one visible list. Routers hold full paths and are mounted at the root. */
import type { Express } from 'express';
import { healthRouter } from './health/health.routes';
import { homeRouter } from './home/home.routes';

export function mountRoutes(app: Express): void {
  app.use(homeRouter);
  app.use(healthRouter);
}
