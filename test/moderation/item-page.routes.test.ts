import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { type ItemType, QueueItem } from '../../src/inbox/queue-item.model';
import { enqueue } from '../../src/inbox/queue';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, displayNumber, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';

const FIELD_MARK = 'à vérifier : données personnelles possibles';

async function openItemOf(contactId: string, type: ItemType) {
  const item = await QueueItem.findOne({ status: 'open', contactId: new mongoose.Types.ObjectId(contactId), type }).lean();
  expect(item, `open ${type} item of ${contactId}`).to.not.equal(null);
  return String(item!._id);
}

describe('moderation.routes: the item page says why the item is there', () => {
  let member: Agent;
  let colleague: Agent;
  let moderator: Agent;

  before(async () => {
    member = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    colleague = await signedInAgent((await buildMember()).email, TEST_PASSWORD);
    moderator = await signedInAgent((await buildModerator(['52'])).email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  describe('GET /moderation/elements/:id', () => {
    it('shows a new contact’s screening flag as text, names the flagged field and marks it in the card', async () => {
      const agency = await buildAgency({ name: 'CAF de Loire-Atlantique' });
      const added = await submitForm(member, '/contacts/nouveau', '/contacts/nouveau', {
        agencyMode: 'existing', agencyId: String(agency._id), kind: 'service_line', service: 'Service partenaires',
        phone1: displayNumber(nextFictionalNumber()), phone1Kind: 'service', phone2Kind: 'direct', topics: 'RSA',
        hours: 'Lun–ven 9h–12h', tips: 'Demander Mme Durand à l’accueil',
      });
      expect(added.status, added.text.slice(0, 500)).to.equal(303);
      const itemId = await openItemOf(String(added.headers.location).split('/').pop()!, 'new_contact');

      const page = await moderator.get(`/moderation/elements/${itemId}`);

      expect(page.status).to.equal(200);
      expect(page.text).not.to.include('[object Object]');
      expect(page.text).to.include('Nouveau contact proposé');
      expect(page.text).to.include('à vérifier : nom de personne possible (Comment le joindre)');
      // The flagged field carries the mark; the other fields do not.
      expect(page.text).to.match(new RegExp(`<dt>Comment le joindre</dt>\\s*<dd[^>]*>Demander <mark>Mme Durand</mark>[\\s\\S]{0,200}${FIELD_MARK}`));
      expect(page.text.split(FIELD_MARK).length - 1, 'one marked field').to.equal(1);
      // The canned decision reasons are still offered in the decision form.
      expect(page.text).to.match(/<option value="user_data"[^>]*>La fiche contenait des informations sur une personne accompagnée/);
    });

    it('shows the text of an open report, and never [object Object]', async () => {
      const agency = await buildAgency({ name: 'CPAM de Loire-Atlantique', typeCode: 'CPAM' });
      const contact = await buildContact(agency);
      const reported = await submitForm(colleague, `/contacts/${contact._id}/signaler`, `/contacts/${contact._id}/signaler`, {
        kind: 'other',
        text: 'Le standard renvoie vers une messagerie pleine',
      });
      expect(reported.status, reported.text.slice(0, 500)).to.equal(303);
      const itemId = await openItemOf(String(contact._id), 'report');

      const page = await moderator.get(`/moderation/elements/${itemId}`);

      expect(page.status).to.equal(200);
      expect(page.text).not.to.include('[object Object]');
      expect(page.text).to.include('Signalement : Autre (précisez) — « Le standard renvoie vers une messagerie pleine »');
      expect(page.text).to.match(/Signalements en cours[\s\S]*Le standard renvoie vers une messagerie pleine/);
    });

    it('marks the flagged field in the diff of a suggested edit', async () => {
      const agency = await buildAgency({ name: 'MDPH de Loire-Atlantique', typeCode: 'MDPH' });
      const contact = await buildContact(agency, { tips: 'Appeler le matin' });
      const edit = await submitForm(colleague, `/contacts/${contact._id}/modifier`, `/contacts/${contact._id}/modifier`, {
        kind: 'service_line', service: 'Service partenaires', phone1: displayNumber(contact.phones[0].e164), phone1Kind: 'service', phone2Kind: 'direct',
        topics: 'RSA', tips: 'Demander M. Bernard, il rappelle',
      });
      expect(edit.status, edit.text.slice(0, 500)).to.equal(303);
      const itemId = await openItemOf(String(contact._id), 'edit');

      const page = await moderator.get(`/moderation/elements/${itemId}`);

      expect(page.status).to.equal(200);
      expect(page.text).not.to.include('[object Object]');
      expect(page.text).to.include('à vérifier : nom de personne possible (Comment le joindre)');
      expect(page.text).to.match(new RegExp(`<th scope="row">Comment le joindre[\\s\\S]{0,200}${FIELD_MARK}[\\s\\S]{0,300}Demander <mark>M. Bernard</mark>`));
    });
  });

  describe('POST /moderation/elements/:id/decision: approval and refusal reasons', () => {
    async function pendingItem(service: string) {
      const author = await buildMember();
      const contact = await buildContact(await buildAgency({ name: 'CAF de Loire-Atlantique' }), { state: 'pending', createdBy: author._id, service });
      const item = await enqueue({ type: 'new_contact', targetType: 'contact', targetId: contact._id, contactId: contact._id, region: '52', createdBy: author._id, reason: { code: 'new_contact', label: 'Nouveau contact proposé' } });
      return { contact, itemId: String(item._id) };
    }

    async function decideAs(agent: Agent, itemId: string, fields: Record<string, string>) {
      const page = await agent.get(`/moderation/elements/${itemId}`);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1];
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      return agent.post(`/moderation/elements/${itemId}/decision`).type('form').send({ version, _csrf: token, ...fields });
    }

    it('offers the approval reasons and the refusal reasons in two labelled selects', async () => {
      const { itemId } = await pendingItem('Accueil des partenaires');

      const page = await moderator.get(`/moderation/elements/${itemId}`);

      expect(page.text).to.include('<label for="approvalReasonCode">Motif d’approbation');
      expect(page.text).to.match(/<select id="approvalReasonCode" name="approvalReasonCode">[\s\S]*?Vérifié par appel au numéro\.[\s\S]*?<\/select>/);
      expect(page.text).to.include('<label for="reasonCode">Motif de refus');
      expect(page.text).to.match(/<select id="reasonCode" name="reasonCode">[\s\S]*?Cette ligne figure déjà dans l’annuaire\.[\s\S]*?<\/select>/);
    });

    it('stores an approval’s reason in the resolution and the audit event, and the journal says it', async () => {
      const { contact, itemId } = await pendingItem('Pôle insertion');

      const res = await decideAs(moderator, itemId, { action: 'approve', approvalReasonCode: 'phone_checked' });
      const item = await QueueItem.findById(itemId).lean();
      const event = await ModerationEvent.findOne({ contactId: contact._id, action: 'contact.approve' }).lean();
      const history = await moderator.get(`/moderation/contacts/${contact._id}/historique`);

      expect(res.status).to.equal(303);
      expect(item!.resolution!.reason).to.equal('Vérifié par appel au numéro.');
      expect(event!.reason).to.equal('Vérifié par appel au numéro.');
      expect(history.text).to.include('a publié la fiche — motif : Vérifié par appel au numéro.');
    });

    it('refuses a refusal reason on an approval with a French 422 that keeps what was typed, and changes nothing', async () => {
      const { contact, itemId } = await pendingItem('Pôle familles');

      const res = await decideAs(moderator, itemId, { action: 'approve', reasonCode: 'duplicate', message: 'Appelé ce matin.' });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Ce motif est un motif de refus : pour approuver ou confirmer, choisissez un motif d’approbation, ou aucun.');
      expect(res.text).to.match(/<option value="duplicate" selected>/);
      expect(res.text).to.include('Appelé ce matin.');
      expect((await QueueItem.findById(itemId).lean())!.status).to.equal('open');
      expect((await Contact.findById(contact._id).lean())!.state).to.equal('pending');
    });

    it('refuses an approval reason on a refusal, and a code neither list holds', async () => {
      const { itemId } = await pendingItem('Pôle logement');

      const onRefusal = await decideAs(moderator, itemId, { action: 'reject', approvalReasonCode: 'phone_checked', reasonCode: 'duplicate' });
      const unknown = await decideAs(moderator, itemId, { action: 'approve', approvalReasonCode: 'duplicate' });

      expect(onRefusal.status).to.equal(422);
      expect(onRefusal.text).to.include('Ce motif est un motif d’approbation : pour cette décision, choisissez un motif de refus, ou aucun.');
      expect(onRefusal.text).to.match(/<option value="phone_checked" selected>/);
      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.include('Choisissez un motif d’approbation de la liste.');
      expect((await QueueItem.findById(itemId).lean())!.status).to.equal('open');
    });
  });
});
