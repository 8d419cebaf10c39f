/** Every feature router, in one visible list. Routers hold full paths and are mounted at the root. */
import type { Express } from 'express';
import { config } from './config';
import { adminRouter } from './admin/admin.routes';
import { agentsRouter, agentsStatelessRouter } from './agents/agents.routes';
import { agenciesRouter } from './agencies/agencies.routes';
import { authRouter } from './auth/auth.routes';
import { contactsRouter } from './contacts/contacts.routes';
import { devRouter } from './dev/dev.routes';
import { faviconRouter } from './home/favicon.routes';
import { healthRouter } from './health/health.routes';
import { homeRouter } from './home/home.routes';
import { importsRouter } from './imports/imports.routes';
import { membersRouter } from './members/members.routes';
import { metricsRouter } from './metrics/metrics.routes';
import { dashboardRouter } from './moderation/dashboard.routes';
import { moderationRouter } from './moderation/moderation.routes';
import { myContactsRouter } from './my-contacts/my-contacts.routes';
import { searchRouter } from './search/search.routes';
import { signalsRouter } from './signals/signals.routes';

/** Routes that need no session (probes, metrics). */
export function mountStatelessRoutes(app: Express): void {
  app.use(healthRouter);
  app.use(metricsRouter);
  app.use(faviconRouter);
  app.use(agentsStatelessRouter);
}

export function mountRoutes(app: Express): void {
  app.use(homeRouter);
  app.use(authRouter);
  app.use(membersRouter);
  // Before the contacts router: /contacts/import is not a contact's id.
  app.use(importsRouter);
  app.use(contactsRouter);
  app.use(agenciesRouter);
  app.use(searchRouter);
  app.use(signalsRouter);
  app.use(myContactsRouter);
  app.use(moderationRouter);
  app.use(agentsRouter);
  app.use(dashboardRouter);
  app.use(adminRouter);
  if (config.isDevelopment) app.use(devRouter);
}
