import { expect } from 'chai';
import { Types } from 'mongoose';
import mongoose from 'mongoose';
import type { AccessLevel } from '../../src/core/access';
import { routeTable } from '../../src/core/route-table';
import { type Agent, csrfFrom, newAgent, signedInAgent, testApp } from '../support/agent';
import { buildAdmin, buildApplicant, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

type Persona = 'anonymous' | 'pending' | 'member' | 'moderatorElsewhere' | 'admin';

const ALLOWED: Record<Exclude<AccessLevel, 'public'>, Persona[]> = {
  account: ['pending', 'member', 'moderatorElsewhere', 'admin'],
  member: ['member', 'moderatorElsewhere', 'admin'],
  moderator: ['moderatorElsewhere', 'admin'],
  admin: ['admin'],
};

const concrete = (path: string) =>
  path.replace(/:id\b/g, String(new Types.ObjectId())).replace(/:token\b/g, 'x'.repeat(30)).replace(/:[a-zA-Z]+/g, 'x');

describe('access matrix', () => {
  const emails: Partial<Record<Persona, string>> = {};

  before(async () => {
    emails.pending = (await buildApplicant({ departement: '44', region: '52' })).email;
    emails.member = (await buildMember()).email;
    emails.moderatorElsewhere = (await buildModerator(['11'], { departement: '75', region: '11' })).email;
    emails.admin = (await buildAdmin()).email;
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  async function agentFor(persona: Persona): Promise<Agent> {
    return persona === 'anonymous' ? newAgent() : signedInAgent(emails[persona]!, TEST_PASSWORD);
  }

  it('gives every protected route the decision its level promises, for each kind of visitor', async function () {
    this.timeout(120_000);
    const routes = routeTable(testApp()).filter((r) => r.access && r.access !== 'public');
    const failures: string[] = [];

    for (const route of routes) {
      for (const persona of ['anonymous', 'pending', 'member', 'moderatorElsewhere', 'admin'] as Persona[]) {
        const agent = await agentFor(persona);
        const path = concrete(route.path);
        let res;
        if (route.method === 'GET') res = await agent.get(path);
        else {
          const token = await csrfFrom(agent, persona === 'anonymous' ? '/connexion' : '/');
          res = await agent.post(path).type('form').send({ _csrf: token });
        }
        const toLogin = res.status === 303 && String(res.headers.location).startsWith('/connexion');
        const denied = res.status === 401 || res.status === 403 || toLogin;
        const allowed = ALLOWED[route.access as keyof typeof ALLOWED].includes(persona);
        if (allowed === denied) failures.push(`${route.method} ${route.path} as ${persona}: ${res.status} ${res.headers.location ?? ''}`);
        if (persona === 'anonymous' && !toLogin && route.method === 'GET') failures.push(`${route.method} ${route.path} as anonymous did not redirect to sign-in`);
      }
    }

    expect(routes.length).to.be.greaterThan(8);
    // « J’ai appelé » and the author's « Toujours valable » are walked like every other route.
    const walked = routes.map((r) => `${r.method} ${r.path} ${r.access}`);
    expect(walked).to.include.members(['POST /contacts/:id/appel member', 'POST /contacts/:id/toujours-valable member']);
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
