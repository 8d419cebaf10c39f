/**
 * No request reads a whole collection that grows with use (docs/data-access.md).
 *
 * The embedded database answers from an index only a filter that constrains `_id` to a
 * string or ObjectId (tools/ferretdb-launcher/README.md); every other filter reads the whole
 * collection there. This test watches every command the app's driver sends while it runs
 * the hot requests of the three journeys, and fails on any command on a growing collection
 * whose filter the database cannot answer by `_id`. The rule is checked against the
 * database's own query plan at the end.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { flushSearchSync, syncNow } from '../../src/search/indexer';
import { enqueue } from '../../src/inbox/queue';
import { runMyContactsAlerts } from '../../src/jobs/my-contacts-alerts';
import { issueAgentLink } from '../../src/agents/agent-links';
import { contactEvents } from '../../src/audit/audit';

import { settleBackground } from '../../src/core/background';
import { csvUtf8Bom, display, HEADER } from '../imports/fixtures';
import { type Agent, csrfFrom, newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

/** Collections that grow with use. The others hold settings, leases, keyed sets, or what a clean-up keeps small. */
const GROWING = new Set([
  'contacts', 'agencies', 'members', 'ratings', 'confirmations', 'reports', 'queue_items', 'moderation_events',
  'contact_revisions', 'security_events', 'search_misses', 'objections', 'suppressions', 'lookups', 'counters', 'settings', 'calls',
  'my_contacts',
  'agent_links',
]);
/**
 * Collections that hold only what is live: expired entries are deleted every 15 minutes
 * (rate limits, tokens, spreadsheet import drafts after two hours), or entries leave once done
 * (the search outbox holds the cards not yet pushed to the index).
 */
const SMALL_BY_DESIGN = new Set(['rate_limits', 'member_tokens', 'search_outbox', 'locks', 'rechecks', 'import_drafts']);

type Filter = Record<string, unknown> | undefined;

const isIdValue = (v: unknown) => typeof v === 'string' || v instanceof mongoose.mongo.ObjectId;

/** The patched database's pushdown rule: `_id: v`, `_id: {$eq: v}` or `_id: {$in: [v…]}` (≤ 1 000), v a string or ObjectId. */
export function answeredById(filter: Filter): boolean {
  const id = filter?._id;
  if (isIdValue(id)) return true;
  if (!id || typeof id !== 'object') return false;
  const cond = id as Record<string, unknown>;
  const keys = Object.keys(cond);
  if (keys.length !== 1) return false;
  if (keys[0] === '$eq') return isIdValue(cond.$eq);
  if (keys[0] === '$in') return Array.isArray(cond.$in) && cond.$in.length > 0 && cond.$in.length <= 1000 && cond.$in.every(isIdValue);
  return false;
}

interface Read {
  command: string;
  collection: string;
  filter: Filter;
}

/** The filters a command reads with (none for inserts and commands that read nothing). */
function readsOf(name: string, cmd: Record<string, unknown>): Read[] {
  const collection = String(cmd[name]);
  switch (name) {
    case 'find':
      return [{ command: name, collection, filter: (cmd.filter as Filter) ?? {} }];
    case 'count':
    case 'distinct':
      return [{ command: name, collection, filter: (cmd.query as Filter) ?? {} }];
    case 'findAndModify':
      return [{ command: name, collection, filter: (cmd.query as Filter) ?? {} }];
    case 'update':
      return (cmd.updates as Array<{ q: Filter }>).map((u) => ({ command: name, collection, filter: u.q }));
    case 'delete':
      return (cmd.deletes as Array<{ q: Filter }>).map((d) => ({ command: name, collection, filter: d.q }));
    case 'aggregate': {
      const first = (cmd.pipeline as Array<Record<string, unknown>>)[0];
      return [{ command: name, collection, filter: (first?.$match as Filter) ?? {} }];
    }
    default:
      return [];
  }
}

describe('no collection scan on the hot requests', () => {
  let member: Agent;
  let moderator: Agent;
  let contactId: string;
  let flaggedId: string;
  let ownId: string;
  let caller: Agent;
  let author: Agent;
  let otherId: string;
  let contactPhone: string;
  let agencyId: string;
  let itemId: string;
  const scans: Array<Read & { during: string }> = [];
  /** Reads seen per request: proves the watch sees the traffic (a silent listener would pass anything). */
  const seen = new Map<string, number>();
  let during = '';
  let listener: ((e: { commandName: string; command: Record<string, unknown> }) => void) | undefined;

  before(async () => {
    const m = await buildMember({ departement: '44' });
    const other = await buildMember({ departement: '44' });
    const mod = await buildModerator(['52']);
    const agency = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF' });
    agencyId = String(agency._id);
    const contacts = [];
    for (let i = 0; i < 5; i++) contacts.push(await buildContact(agency, { service: `Service partenaires ${i}`, createdBy: other._id }));
    contactId = String(contacts[0]._id);
    flaggedId = String(contacts[1]._id);
    ownId = String(contacts[2]._id);
    otherId = String(contacts[1]._id);
    contactPhone = contacts[0].phones[0].e164;
    const pending = await buildContact(agency, { service: 'Fiche en attente', state: 'pending', createdBy: other._id });
    itemId = String(
      (await enqueue({ type: 'new_contact', targetType: 'contact', targetId: pending._id, contactId: pending._id, region: '52', createdBy: String(other._id), reason: { code: 'new_contact', label: 'Nouveau contact proposé' } }))._id,
    );
    await syncNow();
    member = await signedInAgent(m.email, TEST_PASSWORD);
    caller = await signedInAgent((await buildMember({ departement: '44' })).email, TEST_PASSWORD);
    author = await signedInAgent(other.email, TEST_PASSWORD);
    moderator = await signedInAgent(mod.email, TEST_PASSWORD);

    const client = mongoose.connection.getClient();
    listener = (e) => {
      if (!during) return;
      for (const read of readsOf(e.commandName, e.command)) {
        if (GROWING.has(read.collection)) seen.set(during, (seen.get(during) ?? 0) + 1);
        if (SMALL_BY_DESIGN.has(read.collection)) continue;
        if (!answeredById(read.filter)) scans.push({ ...read, during });
      }
    };
    client.on('commandStarted', listener);
  });

  after(() => {
    const client = mongoose.connection.getClient();
    if (listener) client.off('commandStarted', listener);
  });

  async function watch(label: string, run: () => Promise<{ status: number }>, expected: number[]) {
    during = label;
    try {
      const res = await run();
      expect(expected, `${label}: status ${res.status}`).to.include(res.status);
      await flushSearchSync();
    } finally {
      during = '';
    }
  }

  it('reads nothing but `_id` lookups while members search, open, add, confirm and rate, and moderators decide', async () => {
    await watch('search (JSON)', () => member.get('/recherche?q=caf').set('Accept', 'application/json'), [200]);
    await watch('search (HTML)', () => member.get('/recherche?q=caf+partenaires'), [200]);
    await watch('search by phone number', () => member.get(`/recherche?q=${encodeURIComponent(contactPhone)}`).set('Accept', 'application/json'), [200]);
    await watch('search with a place, widened', () => member.get('/recherche?q=guichet+introuvable+rennes').set('Accept', 'application/json'), [200]);
    await watch('contact page', () => member.get(`/contacts/${contactId}`), [200]);
    await watch('vCard', () => member.get(`/contacts/${contactId}/vcard`), [200]);
    await watch('agency page', () => member.get(`/organismes/${agencyId}`), [200]);
    await watch('organismes of a département', () => member.get('/organismes?departement=44'), [200]);
    await watch('add form', () => member.get(`/contacts/nouveau?departement=44&type=CAF`), [200]);
    await watch('agency type-ahead', () => member.get('/organismes/suggestions?q=caf&departement=44'), [200]);
    await watch('new contact', () =>
      submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
        agencyMode: 'existing', agencyId, kind: 'service_line', service: 'Cellule expulsions', phone1: `0${nextFictionalNumber('44').slice(3).replace(/(\d)(\d\d)(\d\d)(\d\d)(\d\d)/, '$1 $2 $3 $4 $5')}`,
        phone1Kind: 'service', phone1Extension: '', phone2: '', phone2Kind: 'direct', phone2Extension: '', topics: ['RSA'], tips: 'Demander la cellule partenaires.',
      }), [303]);
    await watch('duplicate number refused', async () => {
      const c = await mongoose.connection.collection('contacts').findOne({ _id: new mongoose.Types.ObjectId(contactId) });
      const e164 = (c!.phoneKeys as string[])[0];
      return submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
        agencyMode: 'existing', agencyId, kind: 'service_line', service: 'Autre service', phone1: `0${e164.slice(3).replace(/(\d)(\d\d)(\d\d)(\d\d)(\d\d)/, '$1 $2 $3 $4 $5')}`,
        phone1Kind: 'service', phone1Extension: '', phone2: '', phone2Kind: 'direct', phone2Extension: '', topics: ['RSA'],
      });
    }, [409]);
    await watch('confirmation', () => submitForm(member, `/contacts/${contactId}`, `/contacts/${contactId}/confirmation`, { kind: 'works' }), [303]);
    await watch('usefulness vote', () => submitForm(member, `/contacts/${contactId}/utile`, `/contacts/${contactId}/utile`, { useful: 'oui' }), [303]);
    await watch('report', () => submitForm(member, `/contacts/${contactId}/signaler`, `/contacts/${contactId}/signaler`, { kind: 'no_answer' }), [303]);
    await watch('call outcome', () => submitForm(member, `/contacts/${contactId}`, `/contacts/${contactId}/appel`, { outcome: 'reached' }), [303]);
    await watch('call outcome, replaced the same day', () => submitForm(member, `/contacts/${contactId}`, `/contacts/${contactId}/appel`, { outcome: 'no_answer' }), [303]);
    await watch('call outcome « numéro faux »', () => submitForm(member, `/contacts/${flaggedId}`, `/contacts/${flaggedId}/appel`, { outcome: 'wrong_number' }), [303]);
    // The second member flags the card: the state change, the audit event, the author's re-check and mail.
    await watch('call outcome that flags the card', () => submitForm(caller, `/contacts/${flaggedId}`, `/contacts/${flaggedId}/appel`, { outcome: 'wrong_number' }), [303]);
    await watch('author’s « Toujours valable »', () => submitForm(author, `/contacts/${flaggedId}`, `/contacts/${flaggedId}/toujours-valable`, {}), [303]);
    await watch('author’s « Toujours valable » on a published card', () => submitForm(author, `/contacts/${ownId}`, `/contacts/${ownId}/toujours-valable`, {}), [303]);
    let draftId = '';
    await watch('spreadsheet upload', async () => {
      const token = await csrfFrom(member, '/contacts/import');
      const rows = [HEADER, ['CAF de Loire-Atlantique', 'Plateforme import', '', '', '', display(nextFictionalNumber('44')), '', ''], ['CAF de Loire-Atlantique', 'Doublon', '', '', '', display(contactPhone), '', '']];
      const res = await member.post('/contacts/import').field('_csrf', token).attach('fichier', csvUtf8Bom(rows), 'a.csv');
      draftId = String(res.headers.location).split('/').pop() ?? '';
      return res;
    }, [303]);
    await watch('import preview', () => member.get(`/contacts/import/${draftId}`), [200]);
    await watch('import settings', () => submitForm(member, `/contacts/import/${draftId}`, `/contacts/import/${draftId}`, { departement: '44', col0: 'organisme', col1: 'service', col5: 'telephone' }), [303]);
    await watch('import confirmation', async () => {
      const page = await member.get(`/contacts/import/${draftId}`);
      const res = await member.post(`/contacts/import/${draftId}/confirmer`).type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], version: /name="version" value="(\d+)"/.exec(page.text)![1] });
      await settleBackground();
      return res;
    }, [303]);
    await watch('import result', () => member.get(`/contacts/import/${draftId}`), [200]);
    await watch('import batch (moderation)', () => moderator.get(`/moderation/imports/${draftId}`), [200]);
    await watch('import batch approval', () => submitForm(moderator, `/moderation/imports/${draftId}`, `/moderation/imports/${draftId}/approuver`, {}), [303]);
    await watch('queue', () => moderator.get('/moderation/file'), [200]);
    await watch('queue item', () => moderator.get(`/moderation/elements/${itemId}`), [200]);
    await watch('contact history', () => moderator.get(`/moderation/contacts/${contactId}/historique`), [200]);
    await watch('account page', () => member.get('/compte'), [200]);
    await watch('add to my contacts', () => submitForm(member, `/contacts/${contactId}`, `/mes-contacts/${contactId}/ajouter`, { retour: '/recherche?q=caf' }), [303]);
    await watch('add another to my contacts', () => submitForm(member, '/mes-contacts', `/mes-contacts/${otherId}/ajouter`, {}), [303]);
    await watch('my contacts', () => member.get('/mes-contacts'), [200]);
    await watch('my contacts, print sheet', () => member.get('/mes-contacts/imprimer'), [200]);
    await watch('my contacts, vCard export', () => member.get('/mes-contacts/export.vcf'), [200]);
    await watch('my contacts, CSV export', () => member.get('/mes-contacts/export.csv'), [200]);
    await watch('my contacts, alerts on', () => submitForm(member, '/mes-contacts', '/mes-contacts/alertes', { alerts: 'oui' }), [303]);
    await watch('remove from my contacts', () => submitForm(member, '/mes-contacts', `/mes-contacts/${otherId}/retirer`, {}), [303]);
    await watch('my contacts weekly alert (job)', async () => {
      await runMyContactsAlerts(new Date(Date.now() + 8 * 24 * 3600 * 1000));
      return { status: 200 };
    }, [200]);
    const agentCard = await buildContact(await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' }), {
      kind: 'agent', agentFirstName: 'Nadia', agentLastName: 'B.', email: 'nadia.b@cpam-44.example', phones: [{ e164: nextFictionalNumber('44'), kind: 'direct', numberType: 'fixed' }],
    });
    const token = await issueAgentLink(agentCard, 'information');
    const visitor = newAgent();
    await watch('agent page', () => visitor.get(`/agent/${token}`), [200]);
    await watch('agent confirms', () => submitForm(visitor, `/agent/${token}`, `/agent/${token}/confirmer`, {}), [303]);
    await watch('agent corrects', () =>
      submitForm(visitor, `/agent/${token}/corriger`, `/agent/${token}/corriger`, {
        agentFirstName: 'Nadia', agentLastName: 'Benali', function: '', service: '', phone1: '', phone1Kind: 'direct', phone1Extension: '',
        phone2: '', phone2Kind: 'direct', phone2Extension: '', email: 'nadia.b@cpam-44.example', hours: '', note: '',
      }), [303]);
    await watch('sign-in', async () => {
      const again = await buildMember();
      return submitForm(newAgent(), '/connexion', '/connexion', { email: again.email, password: TEST_PASSWORD });
    }, [303]);

    const flaggedEvents = (await contactEvents(new mongoose.Types.ObjectId(flaggedId))).map((e) => e.action);
    expect(flaggedEvents, 'the calls flagged the card and its author re-checked it').to.deep.equal(['contact.flag_calls', 'contact.recheck_asked', 'contact.author_recheck']);
    const report = scans.map((s) => `${s.during}: ${s.command} ${s.collection} ${JSON.stringify(s.filter)}`);
    expect(report, `commands the embedded database answers by reading a whole collection:\n${report.join('\n')}`).to.deep.equal([]);
    const unseen = [...seen.keys()].length ? ['search (JSON)', 'contact page', 'new contact', 'confirmation', 'call outcome', 'call outcome that flags the card', 'author’s « Toujours valable »', 'queue item', 'sign-in', 'my contacts', 'my contacts weekly alert (job)', 'agent page', 'agent confirms', 'import confirmation', 'import batch approval'].filter((l) => !seen.get(l)) : ['all'];
    expect(unseen, 'requests whose database reads were not seen').to.deep.equal([]);
  });

  it('matches the database’s own plan: an `_id` filter with other conditions uses the index, another filter scans', async () => {
    const explain = async (filter: Record<string, unknown>) =>
      (await mongoose.connection.db!.command({ explain: { find: 'contacts', filter } })) as { queryPlanner?: { Plan?: string[] } };
    const byId = await explain({ _id: new mongoose.Types.ObjectId(contactId), state: 'published' });
    const byState = await explain({ state: 'published' });
    expect(answeredById({ _id: new mongoose.Types.ObjectId(contactId), state: 'published' })).to.equal(true);
    expect(String(byId.queryPlanner?.Plan)).to.match(/USING INDEX/).and.not.match(/SCAN/);
    expect(answeredById({ state: 'published' })).to.equal(false);
    expect(String(byState.queryPlanner?.Plan)).to.match(/SCAN/);
  });
});
