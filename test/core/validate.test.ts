import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { AppError } from '../../src/core/errors';
import { IdParamsSchema, inputOf, validate } from '../../src/core/validate';

const PageSchema = z.object({ page: z.coerce.number().int().min(1).default(1) });
const OtherSchema = z.object({ q: z.string().optional() });

/** Answers the status and message of what was thrown, so that a test reads them without the app's pages. */
const answerError: ErrorRequestHandler = (err, _req, res, _next) => {
  res.status(err instanceof AppError ? err.status : 500).json({ message: err instanceof Error ? err.message : String(err) });
};

describe('core/validate', () => {
  const app = express();
  app.get('/elements/:id', validate(IdParamsSchema, 'params'), validate(PageSchema, 'query'), (req, res) => {
    // Each schema the route validated gives its own typed result.
    const { id } = inputOf(req, IdParamsSchema);
    const { page } = inputOf(req, PageSchema);
    res.json({ id, page: page + 1 });
  });
  app.get('/fiches/:id', validate(IdParamsSchema, 'params', { notFound: 'Cette fiche n’existe pas.' }), (req, res) => {
    res.json(inputOf(req, IdParamsSchema));
  });
  app.get('/oubli', validate(PageSchema, 'query'), (req, res) => {
    res.json(inputOf(req, OtherSchema));
  });
  app.use(answerError);

  it('gives the handler what each of the route’s schemas parsed, typed by the schema', async () => {
    const res = await request(app).get('/elements/0123456789abcdef01234567?page=2');

    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ id: '0123456789abcdef01234567', page: 3 });
  });

  it('answers a 400 for invalid input, or the 404 the route names', async () => {
    const bad = await request(app).get('/elements/pas-un-id');
    const notFound = await request(app).get('/fiches/pas-un-id');

    expect(bad.status).to.equal(400);
    expect(notFound.status).to.equal(404);
    expect(notFound.body.message).to.equal('Cette fiche n’existe pas.');
  });

  it('refuses (a 500) to give a handler a schema its route did not validate', async () => {
    const res = await request(app).get('/oubli');

    expect(res.status).to.equal(500);
    expect(res.body.message).to.include('does not validate this schema');
  });
});
