import { expect } from 'chai';
import { Router } from 'express';
import { createApp } from '../../src/app';
import { publicRoute } from '../../src/core/access';
import { routeTable } from '../../src/core/route-table';

describe('route-table', () => {
  describe('routeTable()', () => {
    it('finds an access decision at the head of every route of the app', () => {
      const routes = routeTable(createApp());

      const undecided = routes.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`);
      expect(routes.length).to.be.greaterThan(2);
      expect(undecided, `routes without an access decision: ${undecided.join(', ')}`).to.deep.equal([]);
    });

    it('reports a deliberately unguarded route', () => {
      const app = createApp();
      const rogue = Router();
      rogue.get('/oubli', (_req, res) => void res.send('x'));
      rogue.post('/ok', publicRoute, (_req, res) => void res.send('x'));
      app.use(rogue);

      const routes = routeTable(app);

      expect(routes.find((r) => r.path === '/oubli')?.access).to.equal(undefined);
      expect(routes.find((r) => r.path === '/ok')?.access).to.equal('public');
    });
  });
});
