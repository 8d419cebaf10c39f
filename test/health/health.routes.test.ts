import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app';
import { restartSearch, stopSearch } from '../support/services';

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
});
