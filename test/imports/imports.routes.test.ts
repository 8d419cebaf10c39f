import { expect } from 'chai';
import mongoose from 'mongoose';
import { Contact } from '../../src/contacts/contact.model';
import { settleBackground } from '../../src/core/background';
import { capturedLogLines } from '../../src/core/logger';
import { MAX_FILE_BYTES } from '../../src/imports/spreadsheet';
import { type Agent, csrfFrom, newAgent, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { csv1252, csvText, csvUtf8Bom, display, HEADER, xlsx } from './fixtures';

const CAF = 'CAF de Loire-Atlantique';
/** A valid NIR (the screening's own test value): it must never reach the database or the logs. */
const NIR_REMARK = 'Usager 2 55 08 14 168 025 38 à rappeler';

async function upload(agent: Agent, buf: Buffer, name: string) {
  const token = await csrfFrom(agent, '/contacts/import');
  return agent.post('/contacts/import').field('_csrf', token).field('agentInformed', 'consent').attach('fichier', buf, name);
}

const draftIdOf = (location: string) => /^\/contacts\/import\/([\w-]+)$/.exec(location)?.[1] ?? '';
const drafts = () => mongoose.connection.collection('import_drafts');

async function confirm(agent: Agent, id: string) {
  const page = await agent.get(`/contacts/import/${id}`);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '1';
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return agent.post(`/contacts/import/${id}/confirmer`).type('form').send({ _csrf: token, version });
}

describe('imports routes', () => {
  let member: Agent;
  let memberId: string;
  let other: Agent;
  let cafId: string;
  let existingNumber: string;
  let existingId: string;

  before(async () => {
    const m = await buildMember({ departement: '44' });
    memberId = String(m._id);
    const o = await buildMember({ departement: '44' });
    const caf = await buildAgency({ name: CAF, typeCode: 'CAF' });
    cafId = String(caf._id);
    const existing = await buildContact(caf, { service: 'Pôle partenaires' });
    existingNumber = existing.phones[0].e164;
    existingId = String(existing._id);
    member = await signedInAgent(m.email, TEST_PASSWORD);
    other = await signedInAgent(o.email, TEST_PASSWORD);
  });

  describe('GET /contacts/import', () => {
    it('shows the upload form to members and sends others to sign in', async () => {
      const page = await member.get('/contacts/import');
      const anonymous = await newAgent().get('/contacts/import');

      expect(page.status).to.equal(200);
      expect(page.text).to.include('enctype="multipart/form-data"');
      expect(page.text).to.include('2 Mo');
      expect(anonymous.status).to.equal(303);
      expect(anonymous.headers.location).to.match(/^\/connexion/);
    });
  });

  describe('a UTF-8 CSV with every outcome', () => {
    let id: string;
    const numberA = display(nextFictionalNumber('44'));
    const numberB = display(nextFictionalNumber('44'));
    const numberC = display(nextFictionalNumber('44'));

    it('lists each line of the dry run: new, duplicate of a card, of a line, refused by the screen, no number, unknown organisme', async () => {
      const from = capturedLogLines.length;
      const buf = csvUtf8Bom([
        HEADER,
        [CAF, 'Service partenaires', '', '', '', numberA, '', 'Demander la cellule partenaires'],
        [CAF.toUpperCase(), 'Accueil', 'Durand', 'Sylvie', 'Conseillère', display(existingNumber), '', ''],
        [CAF, 'Cellule RSA', '', '', '', numberA, '', ''],
        [CAF, 'Cellule expulsions', '', '', '', numberC, '', NIR_REMARK],
        [CAF, 'Service sans numéro', '', '', '', '', '', ''],
        ['Mairie de Nulle-Part', 'Accueil', '', '', '', numberB, '', ''],
      ]);

      const res = await upload(member, buf, 'liste-partenaires.csv');
      id = draftIdOf(String(res.headers.location));
      const page = await member.get(`/contacts/import/${id}`);

      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      expect(page.status).to.equal(200);
      const line = (n: number) => new RegExp(`Ligne ${n}</span>\\s*<span class="badge[^"]*">([^<]+)</span>`).exec(page.text)?.[1];
      expect(line(2)).to.equal('Nouvelle fiche');
      expect(line(3)).to.equal('Déjà dans l’annuaire');
      expect(page.text).to.include(`href="/contacts/${existingId}"`);
      expect(line(4)).to.equal('En double dans le fichier');
      expect(page.text).to.include('Même numéro ou même personne qu’à la ligne 2.');
      expect(line(5)).to.equal('Refusée : secret professionnel');
      expect(page.text).to.include('nous y avons reconnu un numéro de sécurité sociale (NIR)');
      expect(line(6)).to.equal('Pas de numéro valide');
      expect(line(7)).to.equal('Organisme à choisir');
      expect(page.text).to.include('« Mairie de Nulle-Part »');
      // The column guesses, and nothing written yet.
      expect(page.text).to.match(/<select id="col6" name="col6"[^>]*>[\s\S]*?<option value="mail" selected>/);
      expect(await Contact.countDocuments({ importBatchId: id })).to.equal(0);
      // The refused text is neither stored nor logged; the line number is.
      const stored = JSON.stringify(await drafts().findOne({ _id: id as unknown as mongoose.Types.ObjectId }));
      expect(stored).not.to.include('168 025');
      expect(stored).not.to.include('Usager');
      expect(page.text).not.to.include('168 025');
      const logs = capturedLogLines.slice(from).join('');
      expect(logs).to.include('import draft created');
      expect(
        /"screened":\[\{"line":5,"kinds":\[[^\]]*"nir"/.exec(logs),
        logs.slice(logs.indexOf('import draft') - 400, logs.indexOf('import draft') + 50),
      ).to.not.equal(null);
      expect(logs).not.to.include('168 025');
      expect(logs).not.to.include('liste-partenaires');
    });

    it('lets the member propose the unknown organisme as a new one, then writes the accepted lines as pending cards of one batch', async () => {
      const page = await member.get(`/contacts/import/${id}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const key = /name="orgKey0" value="([^"]+)"/.exec(page.text)![1];
      const mapping = Object.fromEntries(
        HEADER.map((_, i) => [`col${i}`, ['organisme', 'service', 'nom', 'prenom', 'fonction', 'telephone', 'mail', 'remarques'][i]]),
      );

      const saved = await member
        .post(`/contacts/import/${id}`)
        .type('form')
        .send({ _csrf: token, departement: '44', agentInformed: 'consent', ...mapping, orgKey0: key, org0: 'new:CCAS' });
      const after = await member.get(`/contacts/import/${id}`);

      expect(
        saved.status,
        saved.text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 1500),
      ).to.equal(303);
      expect(after.text).to.include('Importer 2 fiches');

      const confirmed = await confirm(member, id);
      await settleBackground();
      const result = await member.get(`/contacts/import/${id}`);
      const cards = await Contact.find({ importBatchId: id }).lean();

      expect(confirmed.status).to.equal(303);
      expect(result.text).to.include('Import terminé');
      expect(result.text).to.include('2 fiches ont été créées');
      expect(cards.map((c) => c.service).sort()).to.deep.equal(['Accueil', 'Service partenaires']);
      expect(cards.every((c) => c.state === 'pending' && String(c.createdBy) === memberId)).to.equal(true);
      const items = await mongoose.connection
        .collection('queue_items')
        .find({ contactId: { $in: cards.map((c) => c._id) }, status: 'open' })
        .toArray();
      expect(items).to.have.length(2);
      expect(items[0].reasons[0].label).to.include('importé d’un tableur');
      const agencies = await mongoose.connection.collection('agencies').find({ name: 'Mairie de Nulle-Part' }).toArray();
      expect(agencies.map((a) => a.status)).to.deep.equal(['pending']);
      // The cells are dropped once written.
      expect((await drafts().findOne({ _id: id as unknown as mongoose.Types.ObjectId }))!.rowsJson).to.equal('[]');
    });

    it('keeps the draft to its owner: another member gets a 404, on the page and on confirm', async () => {
      const page = await other.get(`/contacts/import/${id}`);
      const token = await csrfFrom(other, '/contacts/import');
      const post = await other.post(`/contacts/import/${id}/confirmer`).type('form').send({ _csrf: token, version: '1' });
      const progress = await other.get(`/contacts/import/${id}/progression`);

      expect(page.status).to.equal(404);
      expect(post.status).to.equal(404);
      expect(progress.status).to.equal(404);
    });
  });

  describe('named agents without an e-mail', () => {
    it('imports them only once the member says how they are informed, for the whole file', async () => {
      const token = await csrfFrom(member, '/contacts/import');
      const rows = [HEADER, [CAF, '', 'Durand', 'Claire', 'Référente RSA', display(nextFictionalNumber('44')), '', '']];
      const res = await member.post('/contacts/import').field('_csrf', token).attach('fichier', csvUtf8Bom(rows), 'sans-reponse.csv');
      expect(res.status).to.equal(303);
      const id = draftIdOf(String(res.headers.location));
      const page = await member.get(`/contacts/import/${id}`);
      expect(page.text).to.include('Les personnes nommées sans e-mail sont-elles informées ?').and.include('Dites comment la personne est informée');
      expect(page.text).to.include('À corriger');
      const mapping = Object.fromEntries(HEADER.map((_, i) => [`col${i}`, ['organisme', 'service', 'nom', 'prenom', 'fonction', 'telephone', 'mail', 'remarques'][i]]));
      const saved = await member
        .post(`/contacts/import/${id}`)
        .type('form')
        .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], departement: '44', agentInformed: 'will_inform', ...mapping });
      expect(saved.status).to.equal(303);
      const after = await member.get(`/contacts/import/${id}`);
      expect(after.text).to.not.include('Dites comment la personne est informée');
      expect(after.text).to.match(/id="agentInformed-relay" name="agentInformed" value="will_inform" checked/);
      await confirm(member, id);
      await settleBackground();
      const card = await Contact.findOne({ importBatchId: id }).lean();
      expect(card?.agentInformed).to.equal('will_inform');
    });
  });

  describe('idempotent confirmation', () => {
    it('creates each card once when two confirmations arrive at the same time', async () => {
      const rows = Array.from({ length: 6 }, (_, i) => [CAF, `Service ${i}`, '', '', '', display(nextFictionalNumber('44')), '', '']);
      const res = await upload(member, csvUtf8Bom([HEADER, ...rows]), 'b.csv');
      const id = draftIdOf(String(res.headers.location));
      const page = await member.get(`/contacts/import/${id}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const version = /name="version" value="(\d+)"/.exec(page.text)![1];

      const answers = await Promise.all([0, 1].map(() => member.post(`/contacts/import/${id}/confirmer`).type('form').send({ _csrf: token, version })));
      await settleBackground();
      const again = await member.post(`/contacts/import/${id}/confirmer`).type('form').send({ _csrf: token, version });
      await settleBackground();

      expect(answers.map((a) => a.status)).to.deep.equal([303, 303]);
      expect(again.status).to.equal(303);
      expect(await Contact.countDocuments({ importBatchId: id })).to.equal(6);
      expect(await Contact.countDocuments({ service: { $in: rows.map((r) => r[1]) }, agencyId: new mongoose.Types.ObjectId(cafId) })).to.equal(6);
      expect(await mongoose.connection.collection('queue_items').countDocuments({ 'reasons.label': /importé/, status: 'open' })).to.be.at.least(6);
    });
  });

  describe('progress', () => {
    it('shows a progress bar that reloads itself without JavaScript, and its figures as JSON', async () => {
      const res = await upload(member, csvUtf8Bom([HEADER, [CAF, 'Service P', '', '', '', display(nextFictionalNumber('44')), '', '']]), 'p.csv');
      const id = draftIdOf(String(res.headers.location));
      // A writer that died halfway: confirmed, nothing written yet, its lease still held.
      await drafts().updateOne(
        { _id: id as unknown as mongoose.Types.ObjectId },
        { $set: { status: 'confirming', lease: { owner: 'x', until: new Date(Date.now() + 60_000) } } },
      );

      const page = await member.get(`/contacts/import/${id}`);
      const json = await member.get(`/contacts/import/${id}/progression`).set('Accept', 'application/json');

      expect(page.text).to.include('<noscript><meta http-equiv="refresh" content="3"></noscript>');
      expect(page.text).to.match(/<progress id="import-bar" max="1" value="0">/);
      expect(json.body).to.deep.equal({ total: 1, done: 0, finished: false });
    });
  });

  describe('other formats', () => {
    it('reads a Windows-1252 CSV: accents survive up to the card', async () => {
      const res = await upload(
        member,
        csv1252([HEADER, [CAF, 'Accès aux droits', 'Lefèvre', 'Hélène', 'Référente sécurité sociale', display(nextFictionalNumber('44')), '', '']]),
        'w.csv',
      );
      const id = draftIdOf(String(res.headers.location));
      const page = await member.get(`/contacts/import/${id}`);

      expect(page.text).to.include('CSV (Windows-1252)');
      expect(page.text).to.include('Hélène Lefèvre');
      await confirm(member, id);
      await settleBackground();
      const [card] = await Contact.find({ importBatchId: id }).lean();
      expect([card.kind, card.agentFirstName, card.agentLastName, card.function]).to.deep.equal(['agent', 'Hélène', 'Lefèvre', 'Référente sécurité sociale']);
    });

    it('reads an .xlsx written by exceljs', async () => {
      const res = await upload(member, await xlsx([HEADER, [CAF, 'Plateforme logement', '', '', '', display(nextFictionalNumber('44')), '', '']]), 'x.xlsx');
      const page = await member.get(String(res.headers.location));

      expect(page.text).to.include('classeur Excel (.xlsx)');
      expect(page.text).to.include('Plateforme logement');
      expect(page.text).to.include('Importer 1 fiche');
    });
  });

  describe('caps', () => {
    it('refuses a file over 2 MB and one of over 2 000 lines with a French message, storing nothing', async () => {
      const before = await drafts().countDocuments();
      const big = Buffer.concat([Buffer.from(csvText([HEADER])), Buffer.alloc(MAX_FILE_BYTES, 'a')]);
      const long = Buffer.from(csvText([HEADER, ...Array.from({ length: 2001 }, (_, i) => [CAF, `S${i}`, '', '', '', '', '', ''])]), 'utf8');

      const tooBig = await upload(member, big, 'gros.csv');
      const tooLong = await upload(member, long, 'long.csv');
      const none = await upload(member, Buffer.alloc(0), 'vide.csv');

      expect(tooBig.status).to.equal(413);
      expect(tooBig.text).to.include('dépasse 2 Mo');
      expect(tooLong.status).to.equal(413);
      expect(tooLong.text).to.match(/plus de 2\s000 lignes/);
      expect(none.status).to.equal(422);
      expect(await drafts().countDocuments()).to.equal(before);
    });

    it('refuses an upload without the form’s token', async () => {
      const res = await member.post('/contacts/import').attach('fichier', csvUtf8Bom([HEADER, [CAF, 'x', '', '', '', '', '', '']]), 'a.csv');
      expect(res.status).to.equal(403);
    });
  });

  describe('moderation of a batch', () => {
    it('shows the batch to the région’s moderators and approves at once the cards that need no reading, one audit event each', async () => {
      const rows = [
        [CAF, 'Service A', '', '', '', display(nextFictionalNumber('44')), '', ''],
        [CAF, 'Service B', '', '', '', display(nextFictionalNumber('44')), '', ''],
        [CAF, 'Service C', 'DURAND', '', '', display(nextFictionalNumber('44')), '', 'Voir avec Mme Martin'],
      ];
      const res = await upload(member, csvUtf8Bom([HEADER, ...rows]), 'm.csv');
      const id = draftIdOf(String(res.headers.location));
      await confirm(member, id);
      await settleBackground();
      const mod = await buildModerator(['52']);
      const elsewhere = await buildModerator(['11'], { departement: '75', region: '11' });
      const moderator = await signedInAgent(mod.email, TEST_PASSWORD);
      const stranger = await signedInAgent(elsewhere.email, TEST_PASSWORD);

      const queue = await moderator.get('/moderation/file');
      const page = await moderator.get(`/moderation/imports/${id}`);
      const denied = await stranger.get(`/moderation/imports/${id}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const approved = await moderator.post(`/moderation/imports/${id}/approuver`).type('form').send({ _csrf: token });
      const cards = await Contact.find({ importBatchId: id }).lean();
      const events = await mongoose.connection
        .collection('moderation_events')
        .find({ action: 'contact.approve', contactId: { $in: cards.map((c) => c._id) } })
        .toArray();

      expect(queue.text).to.include(`/moderation/imports/${id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Publier 2 fiches');
      expect(denied.status).to.equal(403);
      expect(approved.status).to.equal(303);
      expect(
        cards
          .filter((c) => c.state === 'published')
          .map((c) => c.service)
          .sort(),
      ).to.deep.equal(['Service A', 'Service B']);
      expect(cards.find((c) => c.service === 'Service C')!.state).to.equal('pending');
      expect(events).to.have.length(2);
      expect(new Set(events.map((e) => String(e.contactId))).size).to.equal(2);
    });
  });
});
