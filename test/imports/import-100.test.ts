/**
 * A realistic 100-line import, measured: a Windows-1252 CSV as French Excel writes it, for
 * Loire-Atlantique, with what such lists hold — lines already listed, repeated lines, a few
 * numbers missing or mistyped, two remarks about a person helped, organismes the directory does
 * not know yet. The times go to test-artifacts/import-100.json (tests never assert timings);
 * the outcomes are asserted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { config } from '../../src/config';
import { Contact } from '../../src/contacts/contact.model';
import { settleBackground } from '../../src/core/background';
import { csrfFrom, signedInAgent } from '../support/agent';
import { buildAgency, buildContact, buildMember, buildModerator, nextFictionalNumber, TEST_PASSWORD } from '../support/factories';
import { csv1252, display, HEADER } from './fixtures';

const AGENCIES = [
  ['CAF de Loire-Atlantique', 'CAF'],
  ['CPAM de Loire-Atlantique', 'CPAM'],
  ['France Travail Nantes Est', 'FRANCE_TRAVAIL'],
  ['MDPH de Loire-Atlantique', 'MDPH'],
  ['CCAS de Nantes', 'CCAS'],
] as const;
const FIRST = ['Sylvie', 'Karim', 'Hélène', 'Jean-Marc', 'Aïcha', 'Loïc', 'Françoise', 'Mathéo', 'Élodie', 'Bruno'];
const LAST = ['Durand', 'Benali', 'Lefèvre', 'Le Goff', 'Traoré', 'Guérin', 'Rousseau', 'Morvan', 'Texier', 'Caillaud'];
const SERVICES = [
  'Pôle partenaires',
  'Service social',
  'Accueil des partenaires',
  'Cellule RSA',
  'Plateforme logement',
  'Accès aux droits',
  'Cellule prévention des expulsions',
  'Service contentieux',
];
const FUNCTIONS = ['Conseillère', 'Référent partenaires', 'Assistante sociale', 'Chargé d’accueil', 'Gestionnaire conseil', 'Responsable de pôle'];

describe('a realistic 100-line import', function () {
  this.timeout(180_000);

  it('reads, dry-runs, writes and lets a moderator approve 100 lines; figures in test-artifacts/import-100.json', async () => {
    const m = await buildMember({ departement: '44' });
    const mod = await buildModerator(['52']);
    const agencies = [];
    for (const [name, typeCode] of AGENCIES) agencies.push(await buildAgency({ name, typeCode }));
    const listed = [];
    for (let i = 0; i < 5; i++) listed.push((await buildContact(agencies[i], { service: `Ligne déjà listée ${i}` })).phones[0].e164);

    const rows: string[][] = [HEADER];
    const repeated: string[] = [];
    for (let i = 0; i < 100; i++) {
      const [agencyName] = AGENCIES[i % AGENCIES.length];
      const named = i % 3 !== 0;
      let phone = display(nextFictionalNumber('44'));
      let organisme: string = i % 17 === 5 ? agencyName.toUpperCase() : agencyName;
      let remark = i % 4 === 0 ? 'Appeler le matin, demander le pôle partenaires' : '';
      if (i % 10 === 9) organisme = ['Mission locale Nantes Métropole', 'SIAO 44', 'Espace départemental des solidarités Nantes Nord'][((i / 10) % 3) | 0];
      if ([7, 41, 63, 77, 95].includes(i)) phone = display(listed[[7, 41, 63, 77, 95].indexOf(i)]);
      if ([12, 52, 88].includes(i)) repeated.push(phone);
      if ([13, 53, 89].includes(i)) phone = repeated[[13, 53, 89].indexOf(i)];
      if ([20, 70, 90].includes(i)) phone = '';
      if ([31, 81].includes(i)) phone = '02 40 12';
      if (i === 44) remark = 'Dossier de Mme Martin, NIR 2 55 08 14 168 025 38';
      if (i === 66) remark = 'Rappeler pour le fils de M. Dupont né le 12/03/2015';
      if (i === 58) remark = 'Voir avec Mme Bernard, la référente';
      rows.push([
        organisme,
        SERVICES[i % SERVICES.length],
        named ? LAST[i % LAST.length] : '',
        named ? FIRST[Math.floor(i / 10)] : '',
        named ? FUNCTIONS[i % FUNCTIONS.length] : '',
        phone,
        named && i % 5 === 1
          ? `${FIRST[Math.floor(i / 10)].toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${LAST[i % LAST.length].toLowerCase().replace(/ /g, '')}@${agencyName.split(' ')[0].toLowerCase()}44.example`
          : '',
        remark,
      ]);
    }
    const file = csv1252(rows);
    const member = await signedInAgent(m.email, TEST_PASSWORD);

    let t = Date.now();
    const token = await csrfFrom(member, '/contacts/import');
    const up = await member.post('/contacts/import').field('_csrf', token).field('agentInformed', 'consent').attach('fichier', file, 'partenaires-44.csv');
    const uploadMs = Date.now() - t;
    const id = String(up.headers.location).split('/').pop()!;
    t = Date.now();
    const preview = await member.get(`/contacts/import/${id}`);
    const previewMs = Date.now() - t;
    const keys = [...preview.text.matchAll(/name="orgKey(\d+)" value="([^"]+)"/g)].map((x) => ({ i: x[1], key: x[2] }));
    const choices = Object.fromEntries(
      keys.flatMap(({ i, key }) => [
        [`orgKey${i}`, key],
        [`org${i}`, 'new:CCAS'],
      ]),
    );
    const mapping = Object.fromEntries(
      HEADER.map((_, i) => [`col${i}`, ['organisme', 'service', 'nom', 'prenom', 'fonction', 'telephone', 'mail', 'remarques'][i]]),
    );
    t = Date.now();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(preview.text)![1];
    await member
      .post(`/contacts/import/${id}`)
      .type('form')
      .send({ _csrf: csrf, departement: '44', agentInformed: 'consent', ...mapping, ...choices });
    const settingsMs = Date.now() - t;
    const stored = await mongoose.connection.collection('import_drafts').findOne({ _id: id as unknown as mongoose.Types.ObjectId });
    const dryRun = JSON.parse(String(stored!.dryRunJson)) as Array<{ outcome: string; flagged?: boolean }>;
    const page = await member.get(`/contacts/import/${id}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];

    t = Date.now();
    await member.post(`/contacts/import/${id}/confirmer`).type('form').send({ _csrf: csrf, version });
    const confirmAnswerMs = Date.now() - t;
    await settleBackground();
    const writeMs = Date.now() - t;
    const cards = await Contact.find({ importBatchId: id }).lean();

    const moderator = await signedInAgent(mod.email, TEST_PASSWORD);
    t = Date.now();
    const batch = await moderator.get(`/moderation/imports/${id}`);
    const batchPageMs = Date.now() - t;
    const modToken = /name="_csrf" value="([^"]+)"/.exec(batch.text)![1];
    // A batch is published over as many requests as its mails take (8 s each at most).
    t = Date.now();
    let approveRequests = 0;
    let published = 0;
    for (let before = -1; published !== before && approveRequests < 20; approveRequests++) {
      before = published;
      const res = await moderator.post(`/moderation/imports/${id}/approuver`).type('form').send({ _csrf: modToken });
      expect(res.status).to.equal(303);
      published = await Contact.countDocuments({ importBatchId: id, state: 'published' });
    }
    const approveMs = Date.now() - t;

    const outcomes: Record<string, number> = {};
    for (const l of dryRun) outcomes[l.outcome] = (outcomes[l.outcome] ?? 0) + 1;
    const figures = {
      lines: dryRun.length,
      fileBytes: file.length,
      outcomes,
      flaggedAmongNew: dryRun.filter((l) => l.outcome === 'new' && l.flagged).length,
      newOrganismes: keys.length,
      created: cards.length,
      publishedInBulk: published,
      approveRequests: approveRequests - 1,
      leftToRead: cards.length - published,
      ms: {
        upload: uploadMs,
        preview: previewMs,
        settings: settingsMs,
        confirmAnswer: confirmAnswerMs,
        writeAll: writeMs,
        batchPage: batchPageMs,
        bulkApprove: approveMs,
      },
    };
    mkdirSync(join(config.paths.root, 'test-artifacts'), { recursive: true });
    writeFileSync(join(config.paths.root, 'test-artifacts', 'import-100.json'), JSON.stringify(figures, null, 2));
    process.stdout.write(`      ${JSON.stringify(figures)}\n`);

    expect(outcomes).to.deep.equal({ new: 85, duplicate_card: 5, duplicate_line: 3, no_number: 5, screen: 2 });
    expect(cards).to.have.length(85);
    expect(published).to.be.greaterThan(40);
  });
});
