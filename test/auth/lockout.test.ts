/**
 * A third party tries to lock members out: wrong passwords from one or many
 * addresses, reset requests from elsewhere, failures of a whole office behind
 * one address. The victim must always get in with the right password (after
 * at most a short delay) and always receive a working reset link. Each
 * request here carries its own address (X-Forwarded-For behind a trusted proxy).
 */
import { expect } from 'chai';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { settleBackground } from '../../src/core/background';
import { caughtMails, clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { signInDelaySeconds } from '../../src/members/members.service';
import { SecurityEvent } from '../../src/security/security-event.model';
import { buildMember, TEST_PASSWORD } from '../support/factories';

describe('auth lock-out resistance', function () {
  this.timeout(120_000);
  let app: Express;

  before(() => {
    app = createApp();
    app.set('trust proxy', true);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  /** Signs in from `ip` with a fresh cookie jar; returns the status and the page. */
  async function signIn(ip: string, email: string, password: string) {
    const agent = request.agent(app);
    const page = await agent.get('/connexion').set('X-Forwarded-For', ip);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/connexion').set('X-Forwarded-For', ip).type('form').send({ email, password, _csrf: token });
    return res;
  }

  async function askReset(ip: string, email: string) {
    const agent = request.agent(app);
    const page = await agent.get('/mot-de-passe-oublie').set('X-Forwarded-For', ip);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const started = Date.now();
    const res = await agent.post('/mot-de-passe-oublie').set('X-Forwarded-For', ip).type('form').send({ email, _csrf: token });
    return { res, ms: Date.now() - started, agent };
  }

  /** The right password from a new address: retried after the announced delay, at most `tries` times. */
  async function victimSignsIn(ip: string, email: string, tries = 4) {
    let waited = 0;
    for (let i = 0; i < tries; i++) {
      const res = await signIn(ip, email, TEST_PASSWORD);
      if (res.status !== 429) return { res, waited };
      const seconds = Number(/réessayez dans (\d+) seconde/.exec(res.text)?.[1]);
      expect(seconds, res.text.slice(0, 400)).to.be.within(1, 30);
      waited += seconds;
      await new Promise((r) => setTimeout(r, seconds * 1000 + 50));
    }
    throw new Error('the victim never got in');
  }

  it('locks (account, address) after 10 failures, never the account elsewhere: the right password works at once from another address', async () => {
    const victim = await buildMember();

    const failures = [];
    for (let i = 0; i < 10; i++) failures.push((await signIn('203.0.113.10', victim.email, `mauvais-${i}-mot-de-passe`)).status);
    const attackerRight = await signIn('203.0.113.10', victim.email, TEST_PASSWORD);
    const { res: elsewhere, waited } = await victimSignsIn('198.51.100.20', victim.email);

    expect(failures).to.deep.equal(Array(10).fill(401));
    expect(attackerRight.status).to.equal(429);
    expect(attackerRight.text).to.include('Trop de tentatives de connexion');
    expect(elsewhere.status).to.equal(303);
    process.stdout.write(`      after 10 failures from one address: the owner waited ${waited} s from another one\n`);
    expect(await SecurityEvent.countDocuments({ type: 'signin_rate_limited', detail: 'account+ip' })).to.be.at.least(1);
  });

  it('only slows an account attacked from many addresses: each try waits a growing delay of at most 30 s, and the owner gets in', async () => {
    const victim = await buildMember();

    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await signIn(`192.0.2.${i + 1}`, victim.email, `mauvais-${i}-mot-de-passe`)).status);
    const { res, waited } = await victimSignsIn('198.51.100.21', victim.email);

    expect(statuses.slice(0, 10)).to.deep.equal(Array(10).fill(401));
    expect(statuses.slice(10)).to.include(429);
    expect(res.status).to.equal(303);
    expect([9, 10, 11, 12, 15, 20, 100].map(signInDelaySeconds)).to.deep.equal([0, 1, 2, 4, 30, 30, 30]);
    process.stdout.write(`      after 16 attempts from 16 addresses (${statuses.filter((s) => s === 429).length} slowed down): the owner waited ${waited} s\n`);
  });

  it('never locks the other members behind an office’s single address', async () => {
    const colleagues = await Promise.all(Array.from({ length: 5 }, () => buildMember()));

    for (const c of colleagues) for (let i = 0; i < 2; i++) await signIn('203.0.113.50', c.email, `oubli-${i}-du-mot-de-passe`);
    const someoneElse = await buildMember();
    const res = await signIn('203.0.113.50', someoneElse.email, TEST_PASSWORD);

    expect(res.status).to.equal(303);
  });

  it('never blocks the owner’s own reset: requests from elsewhere neither refuse it nor spoil the newest link', async () => {
    const victim = await buildMember();
    clearCaughtMails();

    for (let i = 0; i < 3; i++) await askReset('203.0.113.77', victim.email);
    const own = await askReset('198.51.100.30', victim.email);
    await settleBackground();
    const mails = caughtMails().filter((m) => m.to.includes(victim.email) && /Réinitialiser/.test(m.subject));
    const newest = mails.at(-1)!;
    const link = /https?:\/\/[^/\s]+(\/mot-de-passe\/reinitialiser\/[A-Za-z0-9_-]+)/.exec(newest.text)![1];
    const form = await own.agent.get(link);
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const reset = await own.agent.post(link).type('form').send({ password: 'une nouvelle phrase de passe', _csrf: token });
    const older = /https?:\/\/[^/\s]+(\/mot-de-passe\/reinitialiser\/[A-Za-z0-9_-]+)/.exec(mails[0].text)![1];

    expect(own.res.status).to.equal(200);
    expect(own.res.text).to.include('Si un compte existe pour cette adresse');
    expect(mails).to.have.lengthOf(4);
    expect(reset.status).to.equal(303);
    // Using one link revokes the others.
    expect((await request(app).get(older)).status).to.equal(400);
    expect((await signIn('198.51.100.30', victim.email, 'une nouvelle phrase de passe')).status).to.equal(303);
  });

  it('answers reset requests for known and unknown addresses alike, before doing the work (timings printed)', async () => {
    const known = await buildMember();
    const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
    const bodies = new Set<string>();

    for (let i = 0; i < 6; i++) {
      const k = await askReset(`198.51.100.${40 + i}`, known.email);
      const u = await askReset(`198.51.100.${60 + i}`, `personne.${i}.${Date.now()}@nulle-part.fr`);
      times.known.push(k.ms);
      times.unknown.push(u.ms);
      bodies.add(k.res.text.replace(/name="_csrf" value="[^"]+"/g, ''));
      bodies.add(u.res.text.replace(/name="_csrf" value="[^"]+"/g, ''));
      expect([k.res.status, u.res.status]).to.deep.equal([200, 200]);
    }
    await settleBackground();
    await waitForMail(known.email, /Réinitialiser/);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    process.stdout.write(`      reset answer, median of 6: known address ${median(times.known)} ms, unknown ${median(times.unknown)} ms\n`);
    expect(bodies.size).to.equal(1);
  });

  it('answers registration for a new and an existing address alike, before hashing anything (timings printed)', async () => {
    const existing = await buildMember();
    const register = async (ip: string, email: string) => {
      const agent = request.agent(app);
      const page = await agent.get('/inscription').set('X-Forwarded-For', ip);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const started = Date.now();
      const res = await agent.post('/inscription').set('X-Forwarded-For', ip).type('form').send({
        email, password: 'le train de nuit pour Nantes', firstName: 'Camille', lastName: 'Durand', profession: 'ass', employer: 'CCAS de Saint-Nazaire', departement: '44', membershipNumber: '', charter: 'oui', _csrf: token,
      });
      return { res, ms: Date.now() - started };
    };

    const fresh = await register('198.51.100.80', `nouvelle.${Date.now()}@ccas-test.fr`);
    const taken = await register('198.51.100.81', existing.email);
    await settleBackground();

    process.stdout.write(`      registration answer: new address ${fresh.ms} ms, existing address ${taken.ms} ms\n`);
    expect([fresh.res.status, taken.res.status]).to.deep.equal([303, 303]);
    expect(fresh.res.headers.location).to.equal(taken.res.headers.location);
    await waitForMail(existing.email, /déjà un compte/);
  });
});
