/** Builds the Express app without listening, so tests drive it with supertest. */
import express, { type Express, type RequestHandler } from 'express';
import { passport } from './auth/passport';
import { sessionMiddleware } from './core/session';
import { config } from './config';
import { csrfLocals, csrfProtection } from './core/csrf';
import { errorHandler, notFoundHandler } from './core/error-handler';
import { flashLocals } from './core/flash';
import { httpMetrics } from './core/metrics';
import { isActive, isAdmin, isModerator } from './core/policy';
import { requestDeadline } from './core/request-deadline';
import { actorContext, requestContext } from './core/request-log';
import { securityHeaders } from './core/security';
import { setupViews } from './core/views';
import { mountRoutes, mountStatelessRoutes } from './routes';
import { moderatorsToAlert } from './members/members.service';
import { setCapAlertRecipients } from './security/usage-caps';

/** Pages for a signed-in account carry phone numbers and personal data: never stored by a browser or a proxy. */
const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) res.set('Cache-Control', 'no-store');
  next();
};

const viewLocals: RequestHandler = (req, res, next) => {
  const user = req.user;
  res.locals.currentPath = req.path;
  res.locals.query = typeof req.query.q === 'string' ? req.query.q : '';
  res.locals.currentUser = user
    ? { displayName: user.displayName, isActive: isActive(user), isModerator: isModerator(user), isAdmin: isAdmin(user) }
    : undefined;
  next();
};

export function createApp(): Express {
  setCapAlertRecipients(moderatorsToAlert);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  // Flat query strings only: "a[$ne]=x" stays a plain key and never becomes an operator.
  app.set('query parser', 'simple');
  setupViews(app);

  app.use(requestContext);
  app.use(requestDeadline());
  app.use(httpMetrics);
  app.use(securityHeaders());
  app.use('/static', express.static(config.paths.public, { maxAge: config.isProduction ? '7d' : 0, index: false }));
  mountStatelessRoutes(app);

  // Flat form bodies only, for the same reason as the query parser.
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  app.use(sessionMiddleware());
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(noStoreWhenSignedIn);
  app.use(actorContext);
  app.use(flashLocals);
  app.use(csrfProtection);
  app.use(csrfLocals);
  app.use(viewLocals);

  mountRoutes(app);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
