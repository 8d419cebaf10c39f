import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { config } from '../../src/config';
import { clearCaughtMails, waitForMail } from '../../src/mail/mail-catcher';
import { repairQueue, runDigest } from '../../src/moderation/digest';
import { AUDIT_ACTION_CODES, isAuditAction } from '../../src/audit/audit-actions';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { enqueue } from '../../src/inbox/queue';
import { syncNow } from '../../src/search/indexer';
import { type Agent, csrfFrom, newAgent, signedInAgent, submitForm } from '../support/agent';
import { buildAdmin, buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

async function openItem(query: Record<string, unknown>) {
  const item = await QueueItem.findOne({ status: 'open', ...query }).lean();
  expect(item, `open item ${JSON.stringify(query)}`).to.not.equal(null);
  return item!;
}

async function decideAs(agent: Agent, itemId: string, fields: Record<string, string>) {
  const page = await agent.get(`/moderation/elements/${itemId}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? fields.version;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? (await csrfFrom(agent, '/'));
  return agent.post(`/moderation/elements/${itemId}/decision`).type('form').send({ version, _csrf: token, ...fields });
}

describe('moderation.routes', () => {
  let member: Agent;
  let moderator: Agent;
  let otherModerator: Agent;
  let elsewhere: Agent;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    otherModerator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
    elsewhere = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  it('journey: a member’s new contact is approved by the région’s moderator and becomes searchable, and the agent is informed', async () => {
    clearCaughtMails();
    const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
    const email = `agent.${Date.now()}@caf-test.fr`;
    const added = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing', agencyId: String(agency._id), kind: 'agent', agentFirstName: 'Nadia', agentLastName: 'R.', function: 'Conseillère partenaires',
      phone1: display(nextFictionalNumber()), phone1Kind: 'direct', phone2Kind: 'direct', email, topics: 'RSA',
    });
    const contactId = String(added.headers.location).split('/').pop()!;
    const item = await openItem({ contactId: new mongoose.Types.ObjectId(contactId) });

    const queue = await moderator.get('/moderation/file');
    const before = await member.get('/recherche?q=nadia').set('Accept', 'application/json');
    const decided = await decideAs(moderator, String(item._id), { action: 'approve' });
    await syncNow();
    const after = await member.get('/recherche?q=nadia').set('Accept', 'application/json');
    const informed = await waitForMail(email, /figurent dans l’annuaire/);
    const history = await moderator.get(`/moderation/contacts/${contactId}/historique`);

    expect(item.type).to.equal('new_contact');
    expect(queue.text).to.include(`/moderation/elements/${item._id}`);
    expect(before.body.total).to.equal(0);
    expect(decided.status).to.equal(303);
    expect(after.body.hits.map((h: { id: string }) => h.id)).to.include(contactId);
    expect(informed.text).to.include('/opposition');
    expect((await Contact.findById(contactId).lean())!.agentInformedAt).to.be.instanceOf(Date);
    expect(history.text).to.include('a publié la fiche.');
    expect(history.text).to.include('Système a envoyé à l’agent de la fiche l’e-mail d’information.');
    expect(history.text).not.to.include('contact.approve');
    expect(await ModerationEvent.countDocuments({ contactId: new mongoose.Types.ObjectId(contactId), action: 'contact.approve' })).to.equal(1);
  });

  it('journey: a suggested edit shows its diff and, once approved, replaces the published version in search', async () => {
    const agency = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' });
    const contact = await buildContact(agency, { service: 'Pôle accès aux droits' });
    await syncNow();
    const edit = await submitForm(member, `/contacts/${contact._id}/modifier`, `/contacts/${contact._id}/modifier`, {
      kind: 'service_line', service: 'Plateforme partenaires santé', phone1: display(contact.phones[0].e164), phone1Kind: 'service', phone2Kind: 'direct', topics: 'RSA',
    });
    const item = await openItem({ type: 'edit', contactId: contact._id });

    const page = await moderator.get(`/moderation/elements/${item._id}`);
    const stillOld = await member.get('/recherche?q=plateforme%20partenaires').set('Accept', 'application/json');
    const decided = await decideAs(moderator, String(item._id), { action: 'approve' });
    await syncNow();
    const found = await member.get('/recherche?q=plateforme%20partenaires').set('Accept', 'application/json');

    expect(edit.status).to.equal(303);
    expect(page.text).to.include('<del>Pôle accès aux droits</del>');
    expect(page.text).to.include('<ins>Plateforme partenaires santé</ins>');
    expect(stillOld.body.total).to.equal(0);
    expect(decided.status).to.equal(303);
    expect(found.body.hits[0].id).to.equal(String(contact._id));
    expect(found.body.hits[0].service).to.equal('Plateforme partenaires santé');
  });

  it('gives the second of two moderators « déjà traité par … » and changes nothing', async () => {
    const contact = await buildContact(await buildAgency(), { state: 'pending' });
    const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', reason: { code: 't', label: 'Test' } });
    const pageA = await moderator.get(`/moderation/elements/${item._id}`);
    const pageB = await otherModerator.get(`/moderation/elements/${item._id}`);
    const version = /name="version" value="(\d+)"/.exec(pageA.text)![1];
    const tokenA = /name="_csrf" value="([^"]+)"/.exec(pageA.text)![1];
    const tokenB = /name="_csrf" value="([^"]+)"/.exec(pageB.text)![1];

    const first = await moderator.post(`/moderation/elements/${item._id}/decision`).type('form').send({ _csrf: tokenA, version, action: 'approve' });
    const second = await otherModerator.post(`/moderation/elements/${item._id}/decision`).type('form').send({ _csrf: tokenB, version, action: 'reject', reasonCode: 'duplicate' });

    expect(first.status).to.equal(303);
    expect(second.status).to.equal(409);
    expect(second.text).to.match(/Déjà traité par Prénom\d+ Nom\d+/);
    expect((await Contact.findById(contact._id).lean())!.state).to.equal('published');
    expect(await ModerationEvent.countDocuments({ contactId: contact._id })).to.equal(1);
  });

  it('answers 403 to a moderator of another région on every action', async () => {
    const contact = await buildContact(await buildAgency(), { state: 'pending' });
    const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', reason: { code: 't', label: 'Test' } });
    const token = await csrfFrom(elsewhere, '/');

    const statuses = [
      (await elsewhere.get(`/moderation/elements/${item._id}`)).status,
      (await elsewhere.post(`/moderation/elements/${item._id}/decision`).type('form').send({ _csrf: token, version: '1', action: 'approve' })).status,
      (await elsewhere.post(`/moderation/elements/${item._id}/note`).type('form').send({ _csrf: token, text: 'x' })).status,
      (await elsewhere.post(`/moderation/elements/${item._id}/prendre`).type('form').send({ _csrf: token })).status,
      (await elsewhere.get('/moderation/file?region=52')).status,
      (await elsewhere.post(`/moderation/contacts/${contact._id}/archiver`).type('form').send({ _csrf: token })).status,
    ];
    const queue = await elsewhere.get('/moderation/file');

    expect(statuses).to.deep.equal([403, 403, 403, 403, 403, 403]);
    expect(queue.text).not.to.include(String(item._id));
    expect((await Contact.findById(contact._id).lean())!.state).to.equal('pending');
  });

  it('never lets a moderator decide on a contact they authored', async () => {
    const author = await buildModerator(['52']);
    const authorAgent = await signedInAgent(author.email, TEST_PASSWORD);
    const contact = await buildContact(await buildAgency(), { state: 'pending', createdBy: author._id });
    const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', createdBy: author._id, reason: { code: 't', label: 'Test' } });

    const res = await decideAs(authorAgent, String(item._id), { action: 'approve', version: String(item.version) });

    expect(res.status).to.equal(403);
    expect((await Contact.findById(contact._id).lean())!.state).to.equal('pending');
  });

  it('requires a canned reason to reject, and mails it to the author', async () => {
    clearCaughtMails();
    const author = await buildMember();
    const contact = await buildContact(await buildAgency(), { state: 'pending', createdBy: author._id, service: 'Fiche à refuser' });
    const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', createdBy: author._id, reason: { code: 't', label: 'Test' } });

    const missing = await decideAs(moderator, String(item._id), { action: 'reject' });
    const done = await decideAs(moderator, String(item._id), { action: 'reject', reasonCode: 'duplicate', message: 'Voir la fiche existante.' });
    const mail = await waitForMail(author.email, /pas été retenu/);

    expect(missing.status).to.equal(422);
    expect(missing.text).to.include('Choisissez un motif de refus');
    expect(done.status).to.equal(303);
    expect(mail.text).to.include('Cette ligne figure déjà dans l’annuaire.');
    expect(mail.text).to.include('Voir la fiche existante.');
    expect((await Contact.findById(contact._id).lean())!.state).to.equal('rejected');
  });

  it('journey: an agent’s objection hides the contact from pages and search within a second, and the number cannot be added again', async () => {
    clearCaughtMails();
    const agency = await buildAgency({ name: 'MDPH de Loire-Atlantique', typeCode: 'MDPH' });
    const direct = nextFictionalNumber();
    const email = `opposante.${Date.now()}@mdph-test.fr`;
    const contact = await buildContact(agency, {
      kind: 'agent', agentFirstName: 'Opposante', agentLastName: 'Z.', email, service: 'Accueil partenaires',
      phones: [{ e164: direct, kind: 'direct', numberType: 'fixed' }], phoneKeys: [direct],
    });
    await syncNow();
    const visibleBefore = await member.get('/recherche?q=opposante&departement=').set('Accept', 'application/json');
    const visitor = newAgent();

    const asked = await submitForm(visitor, '/opposition', '/opposition', { email, reference: '' });
    const link = /https?:\/\/[^/\s]+(\/opposition\/confirmer\/[A-Za-z0-9_-]+)/.exec((await waitForMail(email, /Confirmez votre opposition/)).text)![1];
    const confirmPage = await visitor.get(link);
    const confirmed = await submitForm(visitor, link, link, {});
    // No waiting, no sync call: the confirmation itself must have updated the index.
    const search = await member.get('/recherche?q=opposante&departement=').set('Accept', 'application/json');
    const page = await member.get(`/contacts/${contact._id}`);
    const item = await openItem({ type: 'objection', contactId: contact._id });
    const upheld = await decideAs(moderator, String(item._id), { action: 'uphold' });
    const again = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
      agencyMode: 'existing', agencyId: String(agency._id), kind: 'service_line', service: 'Autre', phone1: display(direct), phone1Kind: 'direct', phone2Kind: 'direct',
    });

    expect(JSON.stringify(visibleBefore.body)).to.include('Opposante');
    expect(asked.status).to.equal(200);
    expect(confirmPage.text).to.include('Confirmer mon opposition');
    expect(confirmPage.text).to.include('immédiatement masqués sur 1 fiche,');
    expect(confirmed.status).to.equal(200);
    expect(JSON.stringify(search.body)).not.to.include('Opposante');
    expect(JSON.stringify(search.body)).not.to.include(direct);
    expect(page.text).not.to.include('Opposante');
    expect(page.text).not.to.include(direct);
    expect(upheld.status).to.equal(303);
    const erased = (await Contact.findById(contact._id).lean())!;
    expect(erased.agentFirstName).to.equal(undefined);
    expect(erased.email).to.equal(undefined);
    expect(again.status).to.equal(422);
    expect(again.text).to.include('Ce contact ne peut pas être ajouté à l’annuaire.');
  });

  it('answers an objection request the same whether or not the address is listed, and sends nothing for an unknown one', async () => {
    const res = await submitForm(newAgent(), '/opposition', '/opposition', { email: 'inconnu@administration.fr' });

    expect(res.status).to.equal(200);
    expect(res.text).to.include('Si cette adresse correspond à une fiche');
    let mailed = true;
    await waitForMail('inconnu@administration.fr', undefined, 300).catch(() => (mailed = false));
    expect(mailed).to.equal(false);
  });

  it('mails each moderator a digest of their régions only, and nothing when nothing waits', async () => {
    // Nothing waits: no item, and nothing the repair step would put back.
    await QueueItem.deleteMany({});
    await Contact.deleteMany({ state: 'pending' });
    await mongoose.connection.collection('members').deleteMany({ status: 'pending' });
    clearCaughtMails();
    const quiet = await runDigest();
    const m52 = await buildModerator(['52']);
    const m11 = await buildModerator(['11'], { departement: '75', region: '11' });
    const contact = await buildContact(await buildAgency(), { state: 'pending' });
    await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', reason: { code: 't', label: 'Test' } });

    const result = await runDigest();

    expect(quiet.digests).to.equal(0);
    expect(result.digests).to.be.greaterThan(0);
    expect((await waitForMail(m52.email, /Modération/)).text).to.include('Nouveau contact : 1');
    let mailed11 = true;
    await waitForMail(m11.email, undefined, 300).catch(() => (mailed11 = false));
    expect(mailed11).to.equal(false);
  });

  it('puts back in the queue a pending contact whose item was lost (crash between the two writes)', async () => {
    const contact = await buildContact(await buildAgency(), { state: 'pending' });

    const repaired = await repairQueue();
    const again = await repairQueue();

    expect(repaired).to.be.greaterThan(0);
    expect(again).to.equal(0);
    expect(await QueueItem.countDocuments({ openKey: `contact:${contact._id}` })).to.equal(1);
  });

  it('shows every event the journeys above wrote as a French sentence in the journal, never as a code', async () => {
    const admin = await signedInAgent((await buildAdmin()).email, TEST_PASSWORD);
    const written = (await ModerationEvent.distinct('action')) as string[];

    let visible = '';
    let html = '';
    for (let page = 1; page <= 20; page++) {
      const res = await admin.get(`/admin/journal?page=${page}`);
      expect(res.status).to.equal(200);
      html += res.text;
      visible += res.text.replace(/<select[\s\S]*?<\/select>/g, ' ').replace(/<\/?a\b[^>]*>/g, '').replace(/<[^>]*>/g, ' ');
      if (!res.text.includes('rel="next"')) break;
    }

    expect(written.filter((code) => !isAuditAction(code))).to.deep.equal([]);
    expect(written).to.include.members(['contact.approve', 'revision.approve', 'contact.reject', 'objection.confirm', 'agent.informed']);
    for (const code of AUDIT_ACTION_CODES) expect(visible, code).not.to.include(code);
    expect(visible).not.to.include('non répertoriée');
    expect(visible).to.include('a publié la fiche « CAF de Loire-Atlantique — Nadia R., Conseillère partenaires ».');
    expect(html).to.match(/a publié la fiche <a href="\/contacts\/[0-9a-f]{24}">« CAF de Loire-Atlantique — Nadia R., Conseillère partenaires »<\/a>\./);
    expect(visible).to.include('Système a masqué le nom et les lignes directes de la fiche « MDPH de Loire-Atlantique — Accueil partenaires » à la demande de l’agent.');
    expect(visible).to.include('— motif : Cette ligne figure déjà dans l’annuaire.');
    expect(visible).to.include('état : en attente de vérification par la modération → publié');
  });

  describe('audit log', () => {
    it('refuses every update and delete at runtime', async () => {
      const event = await ModerationEvent.create({ action: 'test', targetType: 'contact', targetId: new mongoose.Types.ObjectId() });

      const attempts = await Promise.all([
        ModerationEvent.updateOne({ _id: event._id }, { $set: { action: 'x' } }).catch((e) => e),
        ModerationEvent.deleteOne({ _id: event._id }).catch((e) => e),
        ModerationEvent.findOneAndUpdate({ _id: event._id }, { $set: { action: 'x' } }).catch((e) => e),
        ModerationEvent.findOneAndDelete({ _id: event._id }).catch((e) => e),
        ModerationEvent.deleteMany({}).catch((e) => e),
        ModerationEvent.updateMany({}, { $set: { action: 'x' } }).catch((e) => e),
        ModerationEvent.replaceOne({ _id: event._id }, { action: 'x' }).catch((e) => e),
      ]);

      for (const a of attempts) expect(a).to.be.instanceOf(Error).with.property('message').that.includes('append-only');
      expect((await ModerationEvent.findById(event._id).lean())!.action).to.equal('test');
    });

    it('has no code path in src/ that writes to it other than create', () => {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const f of readdirSync(dir)) {
          const p = join(dir, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (p.endsWith('.ts')) files.push(p);
        }
      };
      walk(join(config.paths.root, 'src'));

      const offenders = files.filter((f) => /ModerationEvent\.(update|delete|findOneAnd|replace|bulkWrite|collection)/.test(readFileSync(f, 'utf8')) || /moderation_events/.test(readFileSync(f, 'utf8').replace(/collection: 'moderation_events'/, '')));

      expect(offenders).to.deep.equal([]);
    });
  });
});
