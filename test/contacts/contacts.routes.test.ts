import { expect } from 'chai';
import { syncNow } from '../../src/search/indexer';
import mongoose from 'mongoose';
import { Agency } from '../../src/agencies/agency.model';
import { Contact } from '../../src/contacts/contact.model';
import { ContactRevision } from '../../src/contacts/contact-revision.model';
import { approveRevision } from '../../src/contacts/contacts.service';
import { suppress } from '../../src/contacts/suppression';
import { capturedLogLines } from '../../src/core/logger';
import { toActor } from '../../src/members/members.presenter';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const display = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;

function contactForm(agencyId: string, overrides: Record<string, string | string[]> = {}) {
  return {
    agencyMode: 'existing',
    agencyId,
    kind: 'agent',
    agentFirstName: 'Sophie',
    agentLastName: 'L.',
    function: 'Conseillère partenaires',
    service: 'Service contentieux',
    phone1: display(nextFictionalNumber('44')),
    phone1Kind: 'direct',
    phone1Extension: '',
    phone2: '',
    phone2Kind: 'direct',
    phone2Extension: '',
    email: 'sophie.l@caf-test.fr',
    hours: 'Lun–ven 9h–12h',
    tips: 'Se présenter comme travailleur social, citer la référence partenaire.',
    topics: ['RSA', 'PRIME_ACTIVITE'],
    account: 'A régularisé un indu en une semaine.',
    ...overrides,
  };
}

describe('contacts.routes', () => {
  let member: Agent;
  let memberId: string;

  before(async () => {
    const m = await buildMember();
    memberId = String(m._id);
    member = await signedInAgent(m.email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('POST /contacts/nouveau', () => {
    it('adds a pending contact that its author and the région’s moderators see, and nobody else', async () => {
      const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
      const other = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
      const mod = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
      const modElsewhere = await signedInAgent((await buildModerator(['11'], { departement: '75', region: '11' })).email, TEST_PASSWORD);

      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', contactForm(String(agency._id)));
      const url = String(res.headers.location);
      const own = await member.get(url);

      expect(res.status).to.equal(303);
      expect(url).to.match(/^\/contacts\/[a-f0-9]{24}$/);
      expect(own.status).to.equal(200);
      expect(own.text).to.include('Votre contact sera visible après vérification');
      expect(own.text).to.include('En attente de vérification par la modération');
      expect(own.text).to.match(/href="tel:\+33\d{9}"/);
      expect((await other.get(url)).status).to.equal(404);
      expect((await mod.get(url)).status).to.equal(200);
      expect((await modElsewhere.get(url)).status).to.equal(404);
      const stored = await Contact.findById(url.split('/').pop()).lean();
      expect(stored).to.include({ state: 'pending', kind: 'agent', departement: '44', region: '52', agentKey: 'sophie l' });
      expect(String(stored!.createdBy)).to.equal(memberId);
      expect(stored!.phones[0].e164).to.match(/^\+33/);
      expect(stored!.topics).to.deep.equal(['RSA', 'PRIME_ACTIVITE']);
    });

    it('creates the agency inline when it is missing', async () => {
      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
        ...contactForm(''),
        agencyMode: 'new',
        newAgencyName: 'CCAS de Rezé',
        newAgencyType: 'CCAS',
        newAgencyDepartement: '44',
        newAgencyCommune: 'Rezé',
        newAgencyPostcode: '44400',
      });

      expect(res.status).to.equal(303);
      const agency = await Agency.findOne({ nameKey: 'ccas de reze' }).lean();
      expect(agency).to.include({ typeCode: 'CCAS', departement: '44', region: '52', commune: 'Rezé' });
    });

    for (const [label, field, text, expected] of [
      ['a valid NIR', 'tips', 'Pour le 2 55 08 14 168 025 38, appeler le matin', 'numéro de sécurité sociale'],
      ['an allocataire number', 'tips', 'allocataire n° 1234567', 'numéro d’allocataire'],
      ['an e-mail address', 'account', 'écrire à jean.dupont@gmail.com', 'adresse e-mail'],
      ['a birth date', 'hours', 'né le 03/04/1985', 'date de naissance'],
    ] as const) {
      it(`refuses ${label} with a precise French message, keeps the other fields and leaves no trace`, async () => {
        const agency = await buildAgency();
        const before = await Contact.countDocuments({});
        const logFrom = capturedLogLines.length;
        const form = contactForm(String(agency._id), { [field]: text, service: 'Pôle solidarité unique' });

        const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', form);

        expect(res.status).to.equal(422);
        expect(res.text).to.include('secret professionnel');
        expect(res.text.toLowerCase()).to.include(expected.toLowerCase().replace("'", '&#x27;'));
        expect(res.text).to.include('value="Pôle solidarité unique"');
        expect(res.text).to.include('Conseillère partenaires');
        expect(await Contact.countDocuments({})).to.equal(before);
        const db = mongoose.connection.db!;
        for (const c of await db.collections()) {
          const dump = JSON.stringify(await c.find({}).toArray());
          expect(dump, `collection ${c.collectionName}`).not.to.include(text);
        }
        expect(capturedLogLines.slice(logFrom).join('')).not.to.include(text);
      });
    }

    it('shows the existing contact instead of creating a duplicate of a number', async () => {
      const agency = await buildAgency();
      const existing = await buildContact(agency, { service: 'Service des indus' });
      const form = contactForm(String(agency._id), { phone1: display(existing.phones[0].e164) });

      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', form);

      expect(res.status).to.equal(409);
      expect(res.text).to.include('Ce numéro figure déjà dans l’annuaire');
      expect(res.text).to.include(`href="/contacts/${existing._id}"`);
      expect(res.text).to.include('Service des indus');
      expect(res.text).to.include('value="Sophie"');
      expect(await Contact.countDocuments({ phoneKeys: existing.phones[0].e164 })).to.equal(1);
    });

    it('asks for confirmation when the same agent already exists in the agency', async () => {
      const agency = await buildAgency();
      await buildContact(agency, { kind: 'agent', agentFirstName: 'Sophie', agentLastName: 'L.', agentKey: 'sophie l' });
      const form = contactForm(String(agency._id));

      const first = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', form);
      const confirmed = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', { ...form, phone1: display(nextFictionalNumber()), duplicateReason: 'other_person' });

      expect(first.status).to.equal(409);
      expect(first.text).to.include('name="duplicateReason"');
      expect(confirmed.status).to.equal(303);
    });

    it('refuses an identifier on the suppression list with a neutral message', async () => {
      const agency = await buildAgency();
      const e164 = nextFictionalNumber();
      await suppress([e164], undefined, 'objection');

      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', contactForm(String(agency._id), { phone1: display(e164) }));

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Ce contact ne peut pas être ajouté à l’annuaire.');
      expect(await Contact.countDocuments({ phoneKeys: e164 })).to.equal(0);
    });

    it('re-renders French field errors with what was typed', async () => {
      const agency = await buildAgency();

      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', contactForm(String(agency._id), { phone1: '02 40 12', email: 'pas-une-adresse', agentFirstName: '', agentLastName: '' }));

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Indiquez au moins le nom');
      expect(res.text).to.include('Indiquez une adresse e-mail valide');
      expect(res.text).to.include('value="02 40 12"');
    });

    it('answers an unparseable phone number with a French message', async () => {
      const agency = await buildAgency();

      const res = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', contactForm(String(agency._id), { phone1: '02 40 12' }));

      expect(res.status).to.equal(422);
      expect(res.text).to.include('un numéro français compte 10 chiffres');
    });
  });

  describe('GET /contacts/nouveau', () => {
    it('lists the agencies of the chosen département and type without JavaScript', async () => {
      await buildAgency({ name: 'CPAM de la Gironde', typeCode: 'CPAM', departement: '33', region: '75' });
      await buildAgency({ name: 'CAF de la Gironde', typeCode: 'CAF', departement: '33', region: '75' });

      const res = await member.get('/contacts/nouveau?departement=33&type=CPAM');

      expect(res.status).to.equal(200);
      expect(res.text).to.include('CPAM de la Gironde');
      expect(res.text).not.to.include('CAF de la Gironde');
    });
  });

  describe('GET /contacts/:id', () => {
    it('shows a published contact with click-to-call links, freshness and a vCard', async () => {
      const agency = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' });
      const contact = await buildContact(agency, { kind: 'agent', agentFirstName: 'Karim', agentLastName: 'B.', function: 'Référent accès aux droits', lastVerifiedAt: new Date(Date.now() - 95 * 86400_000) });

      const page = await member.get(`/contacts/${contact._id}`);
      const vcard = await member.get(`/contacts/${contact._id}/vcard`);

      expect(page.status).to.equal(200);
      expect(page.text).to.include('Karim B.');
      expect(page.text).to.include(`href="tel:${contact.phones[0].e164}"`);
      expect(page.text).to.include('Vérifié il y a 3 mois');
      expect(page.text).to.include(`data-contact-id="${contact._id}"`);
      expect(vcard.headers['content-type']).to.include('text/vcard');
      expect(vcard.text).to.include('FN:Karim B.').and.include(`TEL;TYPE=WORK,VOICE:${contact.phones[0].e164}`);
    });

    it('hides the agent’s name and direct line of a restricted contact', async () => {
      const agency = await buildAgency();
      const direct = nextFictionalNumber();
      const contact = await buildContact(agency, {
        kind: 'agent',
        agentFirstName: 'Masquée',
        agentLastName: 'X.',
        state: 'restricted',
        phones: [{ e164: direct, kind: 'direct', numberType: 'fixed' }],
        phoneKeys: [direct],
      });

      const page = await member.get(`/contacts/${contact._id}`);

      expect(page.status).to.equal(200);
      expect(page.text).not.to.include('Masquée');
      expect(page.text).not.to.include(direct);
      expect(page.text).to.include('sont masqués');
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await member.get('/contacts/000000000000000000000000')).status).to.equal(404);
      expect((await member.get('/contacts/pas-un-id')).status).to.equal(404);
    });
  });

  describe('POST /contacts/:id/modifier', () => {
    it('creates a pending revision: the published version stays visible until a moderator approves it', async () => {
      const agency = await buildAgency();
      const contact = await buildContact(agency, { hours: 'Lun 9h–12h' });
      const form = { ...contactForm(String(agency._id)), kind: 'service_line', agentFirstName: '', agentLastName: '', service: 'Service partenaires', phone1: display(contact.phones[0].e164), phone1Kind: 'service', hours: 'Mar–jeu 14h–16h', email: '', note: 'Nouveaux horaires depuis mars.' };

      const res = await submitForm(member, `/contacts/${contact._id}/modifier`, `/contacts/${contact._id}/modifier`, form);
      const during = await member.get(`/contacts/${contact._id}`);
      const revision = await ContactRevision.findOne({ contactId: contact._id }).lean();
      const moderator = await buildModerator(['52']);
      await approveRevision(toActor(moderator), String(revision!._id));
      const after = await member.get(`/contacts/${contact._id}`);

      expect(res.status).to.equal(303);
      expect(during.text).to.include('Lun 9h–12h');
      expect(during.text).not.to.include('Mar–jeu 14h–16h');
      expect(during.text).to.include('attend la modération');
      expect(revision!.status).to.equal('pending');
      expect(revision!.changes.map((c) => c.field)).to.include('hours');
      expect(after.text).to.include('Mar–jeu 14h–16h');
    });

    it('refuses a change with nothing changed', async () => {
      const agency = await buildAgency();
      const contact = await buildContact(agency, { hours: 'Lun 9h–12h' });
      const page = await member.get(`/contacts/${contact._id}/modifier`);

      const values = Object.fromEntries([...page.text.matchAll(/<input type="(?:text|tel|email)" id="([^"]+)" name="[^"]+" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const res = await submitForm(member, `/contacts/${contact._id}/modifier`, `/contacts/${contact._id}/modifier`, { ...values, kind: 'service_line', phone1Kind: 'service', phone2Kind: 'direct', topics: ['RSA'] });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Vous n’avez rien modifié.');
    });
  });

  describe('GET /organismes/:id', () => {
    it('lists the agency’s published contacts only', async () => {
      const agency = await buildAgency({ name: 'MDPH de Loire-Atlantique', typeCode: 'MDPH' });
      await buildContact(agency, { service: 'Accueil partenaires MDPH' });
      await buildContact(agency, { service: 'Fiche en attente', state: 'pending' });
      await syncNow(); // the page lists the agency's visible contacts from the search index

      const res = await member.get(`/organismes/${agency._id}`);

      expect(res.status).to.equal(200);
      expect(res.text).to.include('Accueil partenaires MDPH');
      expect(res.text).not.to.include('Fiche en attente');
    });
  });
});
