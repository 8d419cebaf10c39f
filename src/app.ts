/** Builds the Express app without listening, so tests drive it with supertest. */
import express, { type Express } from 'express';
import { config } from './config';
import { errorHandler, notFoundHandler } from './core/error-handler';
import { requestContext } from './core/request-log';
import { securityHeaders } from './core/security';
import { setupViews } from './core/views';
import { mountRoutes } from './routes';

export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  // Flat query strings only: "a[$ne]=x" stays a plain key and never becomes an operator.
  app.set('query parser', 'simple');
  setupViews(app);

  app.use(requestContext);
  app.use(securityHeaders());
  app.use('/static', express.static(config.paths.public, { maxAge: config.isProduction ? '7d' : 0, index: false }));
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    res.locals.query = typeof req.query.q === 'string' ? req.query.q : '';
    next();
  });

  mountRoutes(app);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
