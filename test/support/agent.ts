/** supertest agents that keep cookies, read CSRF tokens and sign in like a browser. */
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';

let sharedApp: Express | undefined;

/** One app per test run (createApp is cheap, but its session store is not). */
export function testApp(): Express {
  sharedApp ??= createApp();
  return sharedApp;
}

export type Agent = ReturnType<typeof request.agent>;

export function newAgent(): Agent {
  return request.agent(testApp());
}

/** The CSRF token of the page at `path` (reads the first `_csrf` hidden field). */
export async function csrfFrom(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  const match = /name="_csrf" value="([^"]+)"/.exec(res.text);
  expect(match, `no CSRF token on ${path} (status ${res.status})`).to.not.equal(null);
  return match![1];
}

/** GETs `page` for its token, then POSTs the form fields (plus _csrf) to `action`. */
export async function submitForm(agent: Agent, page: string, action: string, fields: Record<string, string | string[]>) {
  const token = await csrfFrom(agent, page);
  return agent.post(action).type('form').send({ ...fields, _csrf: token });
}

/** A signed-in agent. */
export async function signedInAgent(email: string, password: string): Promise<Agent> {
  const agent = newAgent();
  const res = await submitForm(agent, '/connexion', '/connexion', { email, password });
  expect(res.status, `sign-in of ${email} failed: ${res.text.slice(0, 300)}`).to.equal(303);
  return agent;
}
