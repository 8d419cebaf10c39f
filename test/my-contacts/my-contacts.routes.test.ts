import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { applyObjection } from '../../src/contacts/contacts.service';
import { syncNow } from '../../src/search/indexer';
import { MY_CONTACTS_CAP, MyContacts } from '../../src/my-contacts/my-contacts.model';
import { type Agent, csrfFrom, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, displayNumber, TEST_PASSWORD } from '../support/factories';

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('my-contacts.routes', () => {
  let member: Agent;
  let memberId: string;
  let caf: Awaited<ReturnType<typeof buildAgency>>;
  let cpam: Awaited<ReturnType<typeof buildAgency>>;
  let sophie: Awaited<ReturnType<typeof buildContact>>;
  let accueil: Awaited<ReturnType<typeof buildContact>>;
  let formula: Awaited<ReturnType<typeof buildContact>>;

  before(async () => {
    const m = await buildMember();
    memberId = String(m._id);
    caf = await buildAgency({ name: 'CAF de Loire-Atlantique', typeCode: 'CAF' });
    cpam = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' });
    sophie = await buildContact(caf, {
      kind: 'agent', agentFirstName: 'Sophie', agentLastName: 'Martin', function: 'Référente partenaires', service: 'Pôle insertion',
      counters: { confirmations: 4, helpful: 3, notHelpful: 0, reports: 0 },
    });
    accueil = await buildContact(cpam, { service: 'Accueil des partenaires; « urgences »', hours: 'Lun–ven 9 h–12 h' });
    formula = await buildContact(cpam, { service: '=HYPERLINK("http://evil.example","clic")', tips: '+33 demander; "Paul"\nle matin', hours: '-1' });
    await syncNow();
    member = await signedInAgent(m.email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  const add = (id: Types.ObjectId, retour?: string) => submitForm(member, `/contacts/${id}`, `/mes-contacts/${id}/ajouter`, retour ? { retour } : {});

  describe('POST /mes-contacts/:id/ajouter and /retirer', () => {
    it('adds from a search result without JavaScript, comes back to the results, and the result then offers to remove it', async () => {
      const search = await member.get('/recherche?q=caf');
      expect(search.text).to.include(`action="/mes-contacts/${sophie._id}/ajouter"`);
      const token = /name="_csrf" value="([^"]+)"/.exec(search.text)![1];
      const res = await member.post(`/mes-contacts/${sophie._id}/ajouter`).type('form').send({ _csrf: token, retour: '/recherche?q=caf' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/recherche?q=caf');
      const again = await member.get('/recherche?q=caf');
      expect(again.text).to.include('Ajouté à vos contacts.');
      expect(again.text).to.include(`action="/mes-contacts/${sophie._id}/retirer"`);
      const page = await member.get(`/contacts/${sophie._id}`);
      expect(page.text).to.include('Retirer de mes contacts');
    });

    it('never sends the member to another site (retour is a same-site path or the contact page)', async () => {
      const res = await add(accueil._id, 'https://evil.example/recherche');
      expect(res.headers.location).to.equal(`/contacts/${accueil._id}`);
      const res2 = await add(accueil._id, '//evil.example/recherche');
      expect(res2.headers.location).to.equal(`/contacts/${accueil._id}`);
    });

    it('answers JSON for the page script, is idempotent, and removes', async () => {
      const token = await csrfFrom(member, '/mes-contacts');
      const a = await member.post(`/mes-contacts/${formula._id}/ajouter`).set('Accept', 'application/json').type('form').send({ _csrf: token });
      expect(a.status).to.equal(200);
      expect(a.body).to.include({ inMyContacts: true, count: 3 });
      const twice = await member.post(`/mes-contacts/${formula._id}/ajouter`).set('Accept', 'application/json').type('form').send({ _csrf: token });
      expect(twice.body.count).to.equal(3);
      const r = await member.post(`/mes-contacts/${formula._id}/retirer`).set('Accept', 'application/json').type('form').send({ _csrf: token });
      expect(r.body).to.include({ inMyContacts: false, count: 2 });
      await member.post(`/mes-contacts/${formula._id}/ajouter`).set('Accept', 'application/json').type('form').send({ _csrf: token });
    });

    it('refuses a card the member may not see (404) or a restricted one (422), and a form without its token (403)', async () => {
      const pending = await buildContact(caf, { state: 'pending', service: 'En attente' });
      const restricted = await buildContact(caf, { state: 'restricted', service: 'Masquée' });
      expect((await add(pending._id)).status).to.equal(404);
      const r = await add(restricted._id);
      expect(r.status).to.equal(422);
      expect(r.text).to.include('Ce contact ne peut pas être ajouté à vos contacts');
      expect((await member.post(`/mes-contacts/${accueil._id}/ajouter`).type('form').send({})).status).to.equal(403);
    });

    it(`stops at ${MY_CONTACTS_CAP} contacts with a French message on the page the member came from`, async () => {
      const other = await buildMember();
      const agent = await signedInAgent(other.email, TEST_PASSWORD);
      const entries = Array.from({ length: MY_CONTACTS_CAP }, () => ({ contactId: new Types.ObjectId(), addedAt: new Date(), seen: { phones: [], state: 'published', phonesMasked: false, openReports: 0 } }));
      await MyContacts.create({ _id: other._id, entries });
      const res = await submitForm(agent, `/contacts/${sophie._id}`, `/mes-contacts/${sophie._id}/ajouter`, { retour: `/contacts/${sophie._id}` });
      expect(res.status).to.equal(303);
      const page = await agent.get(`/contacts/${sophie._id}`);
      expect(page.text).to.include(`Votre liste compte déjà ${MY_CONTACTS_CAP} contacts, le maximum.`);
      const token = await csrfFrom(agent, '/mes-contacts');
      const json = await agent.post(`/mes-contacts/${sophie._id}/ajouter`).set('Accept', 'application/json').type('form').send({ _csrf: token });
      expect(json.status).to.equal(422);
      expect(json.body.error.message).to.include('le maximum');
      expect((await MyContacts.findById(other._id).lean())!.entries).to.have.length(MY_CONTACTS_CAP);
    });
  });

  describe('GET /mes-contacts', () => {
    it('lists the cards grouped by agency with the trust line and a nav link', async () => {
      const res = await member.get('/mes-contacts');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('href="/mes-contacts" aria-current="page">Mes contacts</a>');
      const cafAt = res.text.indexOf('>CAF de Loire-Atlantique</a>');
      const cpamAt = res.text.indexOf('>CPAM de Loire-Atlantique</a>');
      expect(cafAt).to.be.greaterThan(0);
      expect(cpamAt).to.be.greaterThan(cafAt);
      expect(res.text).to.include('Sophie Martin');
      expect(res.text).to.include(displayNumber(sophie.phones[0].e164));
      expect(res.text).to.match(/vérifié [^<]* · confirmé par 4 collègues · utile à 3/);
      expect(res.text).to.include('3 contacts sur 200 au plus');
    });
  });

  describe('exports', () => {
    it('writes one vCard per visible card, counts it as a vCard and logs it', async () => {
      const res = await member.get('/mes-contacts/export.vcf');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/vcard/);
      expect(res.headers['content-disposition']).to.match(/attachment; filename="mes-contacts-\d{4}-\d\d-\d\d\.vcf"/);
      const text = unfold(res.text);
      expect(text.match(/^BEGIN:VCARD\r$/gm)).to.have.length(3);
      expect(text.match(/^END:VCARD\r$/gm)).to.have.length(3);
      expect(text).to.include('FN:Sophie Martin');
      expect(text).to.include('ORG:CPAM de Loire-Atlantique;Accueil des partenaires\\; « urgences »');
      const counters = await mongoose.connection.collection('rate_limits').find({ _id: { $regex: `^usage:vcard:${memberId}:` } as never }).toArray();
      expect(counters).to.have.length(1);
      const events = await mongoose.connection.collection('security_events').find({ type: 'my_contacts_exported' }).toArray();
      expect(events.map((e) => e.detail)).to.include('vcard:3');
    });

    it('writes a CSV French Excel opens: BOM, semicolons, quoted cells, formulas defused', async () => {
      const res = await member.get('/mes-contacts/export.csv').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = body.toString('utf8').slice(1);
      const rows = text.split('\r\n');
      expect(rows[0].split(';')[0]).to.equal('Organisme');
      expect(rows).to.have.length(5); // header, 3 cards, final empty line
      expect(text).to.include(`'=HYPERLINK(""http://evil.example"",""clic"")`);
      expect(text).to.include(`"'+33 demander; ""Paul""\nle matin"`);
      expect(text).to.include(";'-1;");
      expect(text).to.include('"Accueil des partenaires; « urgences »"');
      expect(text).to.include(displayNumber(sophie.phones[0].e164));
      const events = await mongoose.connection.collection('security_events').find({ type: 'my_contacts_exported' }).toArray();
      expect(events.map((e) => e.detail)).to.include('csv:3');
    });
  });

  describe('a card the agent objected to', () => {
    it('vanishes from Mes contacts, from its print view and from both exports', async () => {
      const before = await member.get('/mes-contacts/imprimer');
      expect(before.text).to.include('Sophie Martin');
      await applyObjection(sophie._id);
      expect((await Contact.findById(sophie._id).lean())!.state).to.equal('restricted');

      const page = await member.get('/mes-contacts');
      expect(page.text).to.not.include('Sophie');
      expect(page.text).to.not.include(displayNumber(sophie.phones[0].e164));
      expect(page.text).to.include('Un contact de votre liste n’est plus listé dans l’annuaire');
      const print = await member.get('/mes-contacts/imprimer');
      expect(print.text).to.not.include('Sophie');
      expect(print.text).to.not.include(displayNumber(sophie.phones[0].e164));
      const vcf = await member.get('/mes-contacts/export.vcf');
      expect(vcf.text).to.not.include('Sophie');
      expect(vcf.text).to.not.include(sophie.phones[0].e164);
      expect(vcf.text.match(/BEGIN:VCARD/g)).to.have.length(2);
      const csv = await member.get('/mes-contacts/export.csv');
      expect(csv.text).to.not.include('Sophie');
      expect(csv.text).to.not.include(displayNumber(sophie.phones[0].e164));
      expect(csv.text).to.not.include('Pôle insertion');
    });
  });

  describe('GET /mes-contacts/imprimer', () => {
    it('is a sheet without navigation, the number first on each line', async () => {
      const res = await member.get('/mes-contacts/imprimer');
      expect(res.status).to.equal(200);
      expect(res.text).to.not.include('Navigation principale');
      expect(res.text).to.match(/<td class="print-table__number"><span>0\d( \d\d){4}<\/span><\/td>\s*<td class="print-table__who">/);
    });
  });

  describe('POST /mes-contacts/alertes', () => {
    it('is off by default, turned on from the account page and back off', async () => {
      const account = await member.get('/compte');
      expect(account.text).to.match(/name="alerts" value="non" checked/);
      const on = await submitForm(member, '/compte', '/mes-contacts/alertes', { alerts: 'oui', retour: '/compte' });
      expect(on.status).to.equal(303);
      expect(on.headers.location).to.equal('/compte');
      expect((await member.get('/compte')).text).to.match(/name="alerts" value="oui" checked/);
      const set = await mongoose.connection.collection('lookups').findOne({ _id: 'my-contacts-alerts' as never });
      expect(set!.ids.map(String)).to.include(memberId);
      await submitForm(member, '/compte', '/mes-contacts/alertes', { alerts: 'non', retour: '/compte' });
      expect((await MyContacts.findById(memberId).lean())!.alerts).to.equal(false);
      const after = await mongoose.connection.collection('lookups').findOne({ _id: 'my-contacts-alerts' as never });
      expect(after!.ids.map(String)).to.not.include(memberId);
    });
  });
  describe('account deletion', () => {
    it('puts the list in the account’s data export, and deletion deletes it and takes the member out of the alert set', async () => {
      const gone = await buildMember();
      const agent = await signedInAgent(gone.email, TEST_PASSWORD);
      await submitForm(agent, `/contacts/${accueil._id}`, `/mes-contacts/${accueil._id}/ajouter`, {});
      await submitForm(agent, '/mes-contacts', '/mes-contacts/alertes', { alerts: 'oui' });
      expect(await MyContacts.findById(gone._id).lean()).to.not.equal(null);
      const data = JSON.parse((await agent.get('/compte/export')).text);
      expect(data.myContacts.alerts).to.equal(true);
      expect(data.myContacts.entries.map((e: { contactId: string }) => e.contactId)).to.deep.equal([String(accueil._id)]);
      const res = await submitForm(agent, '/compte/supprimer', '/compte/supprimer', { currentPassword: TEST_PASSWORD });
      expect(res.status).to.equal(303);
      expect(await MyContacts.findById(gone._id).lean()).to.equal(null);
      const set = await mongoose.connection.collection('lookups').findOne({ _id: 'my-contacts-alerts' as never });
      expect(set!.ids.map(String)).to.not.include(String(gone._id));
    });
  });
});
