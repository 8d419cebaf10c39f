import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { Member } from '../../src/members/member.model';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { SecurityEvent } from '../../src/security/security-event.model';
import { DEFAULT_APPROVAL_REASONS, DEFAULT_REASONS, listReasons } from '../../src/settings/reasons';
import { clearThresholdsCache, DEFAULT_THRESHOLDS, getThresholds } from '../../src/settings/thresholds';
import { type Agent, signedInAgent, submitForm } from '../support/agent';
import { buildAdmin, buildApplicant, buildMember, buildModerator, TEST_PASSWORD } from '../support/factories';

const asForm = (values: Record<string, number>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v).replace('.', ',')]));

describe('admin.routes', () => {
  let adminId: string;
  let adminAgent: Agent;

  before(async () => {
    const admin = await buildAdmin({ firstName: 'Alice', lastName: 'Admin' });
    adminId = String(admin._id);
    adminAgent = await signedInAgent(admin.email, TEST_PASSWORD);
  });

  beforeEach(() => mongoose.connection.collection('rate_limits').deleteMany({}));

  // Thresholds are cached for 30 s in the process: later test files must read the defaults.
  after(() => clearThresholdsCache());

  describe('access', () => {
    it('answers 403 to a moderator on every administration page and changes nothing', async () => {
      const mod = await buildModerator(['52']);
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      for (const path of ['/admin/moderateurs', '/admin/motifs', '/admin/seuils', '/admin/journal']) {
        expect((await agent.get(path)).status, path).to.equal(403);
      }
      const post = await submitForm(agent, '/moderation', '/admin/moderateurs', { email: mod.email, regions: ['11'] });

      expect(post.status).to.equal(403);
      expect((await Member.findById(mod._id).lean())!.moderatorRegions).to.deep.equal(['52']);
    });
  });

  describe('header', () => {
    it('links admins, and only them, to the administration pages', async () => {
      const mod = await buildModerator(['52']);
      const modAgent = await signedInAgent(mod.email, TEST_PASSWORD);

      const asAdmin = await adminAgent.get('/compte');
      const asModerator = await modAgent.get('/compte');

      expect(asAdmin.text).to.include('<a href="/admin/moderateurs">Administration</a>');
      expect(asModerator.text).to.include('<a href="/moderation">Modération</a>');
      expect(asModerator.text).not.to.include('Administration</a>');
    });
  });

  describe('/admin/moderateurs', () => {
    it('lists moderators and admins, with forms only for the moderators', async () => {
      const mod = await buildModerator(['53'], { firstName: 'Bertrand', lastName: 'Breton' });

      const res = await adminAgent.get('/admin/moderateurs');

      expect(res.status).to.equal(200);
      expect(res.text).to.include('Bertrand Breton');
      expect(res.text).to.include('Modérateur·rice : Bretagne');
      expect(res.text).to.include('Alice Admin <span class="muted">(vous)</span>');
      expect(res.text).to.include(`action="/admin/moderateurs/${mod._id}/retirer"`);
      expect(res.text).not.to.include(`action="/admin/moderateurs/${adminId}/retirer"`);
    });

    it('appoints a member, audits it, and the new moderator reaches /moderation from their next page', async () => {
      const member = await buildMember({ firstName: 'Chloé', lastName: 'Choisie' });
      const memberAgent = await signedInAgent(member.email, TEST_PASSWORD);
      const before = await memberAgent.get('/moderation');

      const res = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: member.email.toUpperCase(), regions: ['53', '52'] });
      const flash = await adminAgent.get('/admin/moderateurs');
      const after = await memberAgent.get('/moderation');

      expect(before.status).to.equal(403);
      expect(res.status).to.equal(303);
      expect(flash.text).to.include('Chloé Choisie modère maintenant : Bretagne, Pays de la Loire.');
      expect(after.status).to.equal(200);
      expect(after.text).to.include('Régions : Bretagne, Pays de la Loire');
      const stored = await Member.findById(member._id).lean();
      expect(stored).to.include({ role: 'moderator' });
      expect(stored!.moderatorRegions).to.deep.equal(['53', '52']);
      const event = await ModerationEvent.findOne({ targetId: member._id, action: 'member.role_change' }).lean();
      expect(event).to.include({ actorName: 'Alice Admin', region: '52', targetType: 'member' });
      expect(event!.changes).to.deep.equal([
        { field: 'role', before: 'member', after: 'moderator' },
        { field: 'moderatorRegions', before: [], after: ['53', '52'] },
      ]);
      const security = await SecurityEvent.findOne({ memberId: member._id, type: 'role_changed' }).lean();
      expect(security).to.include({ detail: 'member→moderator:53,52' });
      expect(String(security!.actorId)).to.equal(adminId);
    });

    it('re-renders with French messages and the typed values for an unknown address or no région', async () => {
      const unknown = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: 'personne@nulle-part.fr', regions: '11' });
      const noRegion = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: 'quelquun@ccas-test.fr' });

      expect(unknown.status).to.equal(422);
      expect(unknown.text).to.include('Aucun compte n’utilise cette adresse');
      expect(unknown.text).to.include('value="personne@nulle-part.fr"');
      expect(unknown.text).to.match(/id="region-11" name="regions" value="11" checked/);
      expect(noRegion.status).to.equal(422);
      expect(noRegion.text).to.include('Cochez au moins une région à confier.');
      expect(noRegion.text).to.include('value="quelquun@ccas-test.fr"');
    });

    it('refuses to appoint an applicant whose access is not validated', async () => {
      const applicant = await buildApplicant();

      const res = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: applicant.email, regions: '52' });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('seul un membre validé peut devenir modérateur');
      expect((await Member.findById(applicant._id).lean())!.role).to.equal('member');
    });

    it('changes a moderator’s régions, then sets them back to member, each change audited', async () => {
      const mod = await buildModerator(['52']);
      const modAgent = await signedInAgent(mod.email, TEST_PASSWORD);

      const none = await submitForm(adminAgent, '/admin/moderateurs', `/admin/moderateurs/${mod._id}`, {});
      const change = await submitForm(adminAgent, '/admin/moderateurs', `/admin/moderateurs/${mod._id}`, { regions: ['52', '24'] });
      const revoke = await submitForm(adminAgent, '/admin/moderateurs', `/admin/moderateurs/${mod._id}/retirer`, {});
      const after = await modAgent.get('/moderation');

      expect(none.status).to.equal(422);
      expect(none.text).to.include('Cochez au moins une région, ou retirez le rôle de modérateur.');
      expect(change.status).to.equal(303);
      expect(revoke.status).to.equal(303);
      expect(after.status).to.equal(403);
      expect(await Member.findById(mod._id).lean()).to.deep.include({ role: 'member', moderatorRegions: [] });
      const events = await ModerationEvent.find({ targetId: mod._id }).sort({ at: 1 }).lean();
      expect(events.map((e) => e.changes)).to.deep.equal([
        [{ field: 'moderatorRegions', before: ['52'], after: ['24', '52'] }],
        [{ field: 'role', before: 'moderator', after: 'member' }, { field: 'moderatorRegions', before: ['24', '52'], after: [] }],
      ]);
      expect(await SecurityEvent.countDocuments({ memberId: mod._id, type: 'role_changed' })).to.equal(2);
    });

    it('does not let an admin change their own role', async () => {
      const res = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: (await Member.findById(adminId).lean())!.email, regions: '11' });
      const revoke = await submitForm(adminAgent, '/admin/moderateurs', `/admin/moderateurs/${adminId}/retirer`, {});

      expect(res.status).to.equal(403);
      expect(res.text).to.include('Vous ne pouvez pas changer votre propre rôle');
      expect(revoke.status).to.equal(403);
      expect((await Member.findById(adminId).lean())!.role).to.equal('admin');
      expect(await ModerationEvent.countDocuments({ targetId: new Types.ObjectId(adminId) })).to.equal(0);
    });

    it('leaves another admin alone', async () => {
      const other = await buildAdmin();

      const res = await submitForm(adminAgent, '/admin/moderateurs', '/admin/moderateurs', { email: other.email, regions: '11' });

      expect(res.status).to.equal(409);
      expect(res.text).to.include('ce rôle se gère en ligne de commande');
      expect((await Member.findById(other._id).lean())!.role).to.equal('admin');
    });
  });

  describe('/admin/seuils', () => {
    it('shows every threshold with its current value', async () => {
      const res = await adminAgent.get('/admin/seuils');

      expect(res.status).to.equal(200);
      for (const key of Object.keys(DEFAULT_THRESHOLDS)) expect(res.text, key).to.include(`id="${key}" name="${key}"`);
      expect(res.text).to.include('value="60"');
      expect(res.text).to.include('Durée de prise en compte des signalements (jours)');
    });

    it('rejects bad values with French messages and keeps what was typed', async () => {
      clearThresholdsCache();
      const values = { ...asForm(await getThresholds()), reportWindowDays: 'soixante', trustedLevel: '5', needsCheckScore: '2,5', maskScore: '2', staleMonths: '' };

      const res = await submitForm(adminAgent, '/admin/seuils', '/admin/seuils', values);

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Durée de prise en compte des signalements (jours) : indiquez un nombre entier, par exemple 12.');
      expect(res.text).to.include('indiquez au plus 3.');
      expect(res.text).to.include('Fiche à revérifier après (mois sans vérification) : indiquez une valeur.');
      expect(res.text).to.include('value="soixante"');
      expect(res.text).to.include('value="2,5"');
      expect(res.text).to.include('aria-invalid="true"');
      clearThresholdsCache();
      expect((await getThresholds()).reportWindowDays).to.equal(DEFAULT_THRESHOLDS.reportWindowDays);
    });

    it('checks that masking needs more than « à vérifier »', async () => {
      const values = { ...asForm(DEFAULT_THRESHOLDS), needsCheckScore: '6', maskScore: '5' };

      const res = await submitForm(adminAgent, '/admin/seuils', '/admin/seuils', values);

      expect(res.status).to.equal(422);
      expect(res.text).to.include('au moins égal au score « à vérifier » (6).');
    });

    it('saves new values and audits each change with before and after', async () => {
      clearThresholdsCache();
      const current = await getThresholds();
      const values = { ...asForm(current), reportWindowDays: '45', validityHalfLifeDays: '120,5' };

      const res = await submitForm(adminAgent, '/admin/seuils', '/admin/seuils', values);
      const again = await submitForm(adminAgent, '/admin/seuils', '/admin/seuils', values);

      expect(res.status).to.equal(303);
      expect(again.status).to.equal(303);
      clearThresholdsCache();
      expect(await getThresholds()).to.include({ reportWindowDays: 45, validityHalfLifeDays: 120.5 });
      const events = await ModerationEvent.find({ action: 'settings.thresholds' }).lean();
      expect(events).to.have.length(1);
      expect(events[0].changes).to.deep.equal([
        { field: 'reportWindowDays', before: current.reportWindowDays, after: 45 },
        { field: 'validityHalfLifeDays', before: current.validityHalfLifeDays, after: 120.5 },
      ]);
      expect(events[0].region).to.equal(undefined);
      const page = await adminAgent.get('/admin/seuils');
      expect(page.text).to.include('value="120,5"');
    });
  });

  describe('/admin/motifs', () => {
    it('edits a label, removes a reason, adds one, and audits each change', async () => {
      const [first, second, ...rest] = DEFAULT_REASONS;
      const fields = {
        code: DEFAULT_REASONS.map((r) => r.code),
        label: [`${first.label} Merci.`, second.label, ...rest.map((r) => r.label)],
        remove: second.code,
        newCode: 'numero_standard',
        newLabel: 'Ce numéro est celui du standard, pas une ligne directe.',
      };

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs', fields);

      expect(res.status).to.equal(303);
      const reasons = await listReasons();
      expect(reasons.map((r) => r.code)).to.deep.equal([first.code, ...rest.map((r) => r.code), 'numero_standard']);
      expect(reasons[0].label).to.equal(`${first.label} Merci.`);
      const event = await ModerationEvent.findOne({ action: 'settings.reasons' }).lean();
      expect(event!.changes).to.deep.equal([
        { field: `reason:${first.code}`, before: first.label, after: `${first.label} Merci.` },
        { field: `reason:${second.code}`, before: second.label, after: null },
        { field: 'reason:numero_standard', before: null, after: 'Ce numéro est celui du standard, pas une ligne directe.' },
      ]);
    });

    it('keeps at least one reason and re-renders the rows as typed', async () => {
      const reasons = await listReasons();

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs', {
        code: reasons.map((r) => r.code),
        label: reasons.map((r) => r.label),
        remove: reasons.map((r) => r.code),
        newCode: 'Code Invalide',
        newLabel: '',
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Code du nouveau motif : de 2 à 40 lettres minuscules');
      expect(res.text).to.include('Nouveau motif : le libellé compte au moins 3 caractères.');
      expect(res.text).to.include(`id="remove-${reasons[0].code}" name="remove" value="${reasons[0].code}" checked`);
      expect(res.text).to.include('value="Code Invalide"');
      expect(await listReasons()).to.deep.equal(reasons);
    });

    it('refuses to remove every reason', async () => {
      const reasons = await listReasons();

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs', {
        code: reasons.map((r) => r.code),
        label: reasons.map((r) => r.label),
        remove: reasons.map((r) => r.code),
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include('Gardez au moins un motif');
      expect(res.text).to.include('href="#remove"');
    });

    it('flags a label that became too short, next to its field', async () => {
      const reasons = await listReasons();

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs', {
        code: reasons.map((r) => r.code),
        label: reasons.map((r, i) => (i === 0 ? 'x' : r.label)),
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include(`href="#label-${reasons[0].code}"`);
      expect(res.text).to.include(`Motif « ${reasons[0].code} » : le libellé compte au moins 3 caractères.`);
      expect(res.text).to.include(`id="label-${reasons[0].code}" name="label" rows="2" maxlength="200" aria-invalid="true"`);
    });
  });

  describe('/admin/motifs/approbation', () => {
    it('shows both lists on the page, each in its own form', async () => {
      const res = await adminAgent.get('/admin/motifs');

      expect(res.status).to.equal(200);
      expect(res.text).to.include('action="/admin/motifs/approbation"');
      expect(res.text).to.include('Vérifié par appel au numéro.');
      expect(res.text).to.include(`id="approval-label-${DEFAULT_APPROVAL_REASONS[0].code}"`);
      expect(res.text).to.include(`id="label-${DEFAULT_REASONS[0].code}"`);
    });

    it('saves the approval list, leaves the refusal list alone, and audits each change', async () => {
      const refusals = await listReasons('reject');
      const [first, ...rest] = DEFAULT_APPROVAL_REASONS;

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs/approbation', {
        code: DEFAULT_APPROVAL_REASONS.map((r) => r.code),
        label: [`${first.label} Deux fois.`, ...rest.map((r) => r.label)],
        approvalNewCode: 'site_officiel',
        approvalNewLabel: 'Numéro publié sur le site officiel de l’organisme.',
      });
      const journal = await adminAgent.get('/admin/journal?action=settings.approval_reasons');

      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/admin/motifs#approbation');
      const approvals = await listReasons('approve');
      expect(approvals.map((r) => r.code)).to.deep.equal([...DEFAULT_APPROVAL_REASONS.map((r) => r.code), 'site_officiel']);
      expect(approvals[0].label).to.equal(`${first.label} Deux fois.`);
      expect(await listReasons('reject')).to.deep.equal(refusals);
      const event = await ModerationEvent.findOne({ action: 'settings.approval_reasons' }).lean();
      expect(event!.changes).to.deep.equal([
        { field: `approvalReason:${first.code}`, before: first.label, after: `${first.label} Deux fois.` },
        { field: 'approvalReason:site_officiel', before: null, after: 'Numéro publié sur le site officiel de l’organisme.' },
      ]);
      expect(journal.text).to.include('a modifié les motifs d’approbation.');
      expect(journal.text).to.include('motif d’approbation « site_officiel » : — → Numéro publié sur le site officiel de l’organisme.');
    });

    it('validates like the refusal list, next to the approval field, and keeps what was typed', async () => {
      const approvals = await listReasons('approve');

      const res = await submitForm(adminAgent, '/admin/motifs', '/admin/motifs/approbation', {
        code: approvals.map((r) => r.code),
        label: approvals.map((r, i) => (i === 0 ? 'x' : r.label)),
        approvalNewCode: 'Code Invalide',
      });

      expect(res.status).to.equal(422);
      expect(res.text).to.include(`href="#approval-label-${approvals[0].code}"`);
      expect(res.text).to.include(`Motif « ${approvals[0].code} » : le libellé compte au moins 3 caractères.`);
      expect(res.text).to.include(`id="approval-label-${approvals[0].code}" name="label" rows="2" maxlength="200" aria-invalid="true"`);
      expect(res.text).to.include('href="#approvalNewCode"');
      expect(res.text).to.include('value="Code Invalide"');
      expect(res.text).not.to.include('aria-invalid="true" aria-describedby="label-');
      expect(await listReasons('approve')).to.deep.equal(approvals);
    });
  });

  describe('GET /admin/journal and /moderation/journal', () => {
    before(async () => {
      const event = (action: string, region: string | undefined, actorName: string, at: string) => ({
        at: new Date(at), action, actorId: new Types.ObjectId(), actorName, targetType: 'contact', targetId: new Types.ObjectId(), region, changes: [],
      });
      await mongoose.connection.collection('moderation_events').insertMany([
        event('contact.approve', '93', 'Paul Provence', '2025-06-01T10:00:00Z'),
        event('contact.reject', '93', 'Paul Provence', '2025-06-02T10:00:00Z'),
        event('report.dismiss', '76', 'Odile Occitanie', '2025-06-03T10:00:00Z'),
        event('contact.approve', '94', 'Corinne Corse', '2025-05-31T22:30:00Z'), // 1 June 00:30 in Paris
        ...Array.from({ length: 55 }, (_, i) => event('contact.approve', '75', 'Nora Nouvelle', new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString())),
      ]);
    });

    it('shows an admin every event, newest first, 50 per page', async () => {
      const first = await adminAgent.get('/admin/journal?region=75');
      const second = await adminAgent.get('/admin/journal?region=75&page=2');

      expect(first.status).to.equal(200);
      expect(first.text).to.include('55 événements');
      expect(first.text.match(/<tr>\s*<td><time/g)).to.have.length(50);
      expect(first.text).to.include('Page 1 sur 2');
      expect(first.text).to.include('href="/admin/journal?region&#x3D;75&amp;page&#x3D;2"');
      expect(second.text.match(/<tr>\s*<td><time/g)).to.have.length(5);
      expect(first.text.indexOf('1 janvier 2025 à 01:54')).to.be.greaterThan(-1);
    });

    it('filters by action (a catalogue code, or the start of one), author name and Paris dates', async () => {
      const byAction = await adminAgent.get('/admin/journal?action=contact.re');
      const byCode = await adminAgent.get('/admin/journal?action=contact.approve');
      const byName = await adminAgent.get('/admin/journal?acteur=odile');
      const byDay = await adminAgent.get('/admin/journal?du=2025-06-01&au=2025-06-01');

      expect(byAction.text).to.include('1 événement,');
      expect(byAction.text).to.include('Paul Provence a refusé la fiche.');
      expect(byCode.text).to.include('57 événements');
      expect(byCode.text).to.include('<option value="contact.approve" selected>Fiche publiée</option>');
      expect(byCode.text).not.to.include('a refusé la fiche');
      expect(byName.text).to.include('1 événement,');
      expect(byName.text).to.include('Odile Occitanie');
      expect(byDay.text).to.include('2 événements');
      expect(byDay.text).to.include('Corinne Corse');
      expect(byDay.text).to.include('Paul Provence');
    });

    it('shows a moderator only the events of their régions', async () => {
      const mod = await buildModerator(['93', '76'], { departement: '13', region: '93' });
      const agent = await signedInAgent(mod.email, TEST_PASSWORD);

      const mine = await agent.get('/moderation/journal');
      const one = await agent.get('/moderation/journal?region=76');
      const other = await agent.get('/moderation/journal?region=75');

      expect(mine.status).to.equal(200);
      expect(mine.text).to.include('3 événements');
      expect(mine.text).not.to.include('Corinne Corse');
      expect(mine.text).not.to.include('Nora Nouvelle');
      expect(one.text).to.include('1 événement,');
      expect(other.status).to.equal(403);
    });

    it('rejects a malformed date with a 400 page', async () => {
      const res = await adminAgent.get('/admin/journal?du=01/06/2025');

      expect(res.status).to.equal(400);
    });
  });
});
