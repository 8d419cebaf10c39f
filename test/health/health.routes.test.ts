import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app';
import { restartDatabase, restartSearch, stopDatabase, stopSearch } from '../support/services';

describe('health.routes', () => {
  const app = createApp();

  describe('GET /health', () => {
    it('answers 200 with database and search ok', async () => {
      const res = await request(app).get('/health');

      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ status: 'ok', database: 'ok', search: 'ok' });
      expect(res.headers['cache-control']).to.equal('no-store');
    });

    it('answers 503 with search down when Meilisearch is stopped, and ok again after restart', async function () {
      this.timeout(60_000);
      await stopSearch();

      const down = await request(app).get('/health');
      await restartSearch();
      const back = await request(app).get('/health');

      expect(down.status).to.equal(503);
      expect(down.body).to.deep.equal({ status: 'degraded', database: 'ok', search: 'down' });
      expect(back.status).to.equal(200);
      expect(back.body.search).to.equal('ok');
    });
  });

  describe('GET /health/live and /health/ready', () => {
    it('answers live without touching any service, and ready while the database answers', async () => {
      const live = await request(app).get('/health/live');
      const ready = await request(app).get('/health/ready');

      expect(live.status).to.equal(200);
      expect(live.body).to.deep.equal({ status: 'live' });
      expect(ready.status).to.equal(200);
      expect(ready.body).to.include({ status: 'ready', database: 'ok', search: 'ok' });
      expect(Object.keys(ready.body.services)).to.have.lengthOf(2);
      expect(ready.headers['cache-control']).to.equal('no-store');
    });

    it('stays ready with search down, saying so, and is not ready with the database down', async function () {
      this.timeout(60_000);
      await stopSearch();
      const searchDown = await request(app).get('/health/ready');
      await restartSearch();
      await stopDatabase();
      const dbDown = await request(app).get('/health/ready');
      const live = await request(app).get('/health/live');
      await restartDatabase();

      expect(searchDown.status).to.equal(200);
      expect(searchDown.body).to.include({ status: 'ready', database: 'ok', search: 'down' });
      expect(dbDown.status).to.equal(503);
      expect(dbDown.body).to.include({ status: 'not_ready', database: 'down' });
      expect(live.status).to.equal(200);
    });
  });
});
