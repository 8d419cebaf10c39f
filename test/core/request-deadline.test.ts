import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { requestDeadline } from '../../src/core/request-deadline';

describe('core/request-deadline', () => {
  it('answers a French 503 when a handler waits past the deadline, and drops what it writes later', async () => {
    const app = express();
    let late: unknown;
    app.use(requestDeadline(300));
    app.get('/lent', async (_req, res) => {
      await new Promise((r) => setTimeout(r, 800));
      try {
        res.status(200).send('trop tard');
      } catch (err) {
        late = err;
      }
    });
    app.get('/rapide', (_req, res) => void res.send('à temps'));

    const slow = await request(app).get('/lent');
    const json = await request(app).get('/lent').set('Accept', 'application/json');
    const fast = await request(app).get('/rapide');
    await new Promise((r) => setTimeout(r, 700));

    expect(slow.status).to.equal(503);
    expect(slow.text).to.include('<html lang="fr">').and.include('Le service met trop de temps à répondre');
    expect(json.body.error).to.include({ status: 503, code: 'deadline' });
    expect(fast.status).to.equal(200);
    expect(late).to.equal(undefined);
  });
});
