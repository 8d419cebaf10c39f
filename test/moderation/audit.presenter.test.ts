import { expect } from 'chai';
import { Types } from 'mongoose';
import { AUDIT_ACTION_CODES } from '../../src/audit/audit-actions';
import { auditSentence, presentAuditChange, presentHistoryEvent } from '../../src/moderation/audit.presenter';
import type { ModerationEventDoc } from '../../src/audit/moderation-event.model';

describe('audit.presenter', () => {
  describe('auditSentence()', () => {
    it('names the actor and the card, linked, with the reason', () => {
      const s = auditSentence(
        { action: 'revision.reject', actorName: 'Sophie M.', reason: 'Les informations n’ont pas pu être vérifiées.' },
        { title: 'CAF de Loire-Atlantique — Nathalie B.', url: '/contacts/1' },
      );

      expect(s.text).to.equal('Sophie M. a refusé la modification proposée de la fiche « CAF de Loire-Atlantique — Nathalie B. » — motif : Les informations n’ont pas pu être vérifiées.');
      expect(s.before).to.equal('Sophie M. a refusé la modification proposée de la fiche ');
      expect(s.target).to.equal('« CAF de Loire-Atlantique — Nathalie B. »');
      expect(s.targetUrl).to.equal('/contacts/1');
    });

    it('says « Système » for a job and reads well without the card’s name', () => {
      const s = auditSentence({ action: 'contact.flag_stale', actorName: undefined, reason: 'sans confirmation depuis 12 mois' });
      const comma = auditSentence({ action: 'stale.archive', actorName: 'Yann L.' });

      expect(s.text).to.equal('Système a signalé la fiche à vérifier — motif : sans confirmation depuis 12 mois.');
      expect(comma.text).to.equal('Yann L. a archivé la fiche, qui n’était plus vérifiée.');
    });

    it('gives every catalogue code a sentence without a code in it', () => {
      for (const action of AUDIT_ACTION_CODES) {
        const s = auditSentence({ action, actorName: 'Yann L.' }, { title: 'CAF — Nathalie B.' });

        expect(s.text, action).to.match(/^Yann L\. a .+\.$/);
        expect(s.text, action).not.to.include(action);
        expect(s.text, action).not.to.include('{');
      }
    });

    it('still reads as French for a code the catalogue does not hold', () => {
      expect(auditSentence({ action: 'old.code', actorName: 'Yann L.' }).text).to.equal('Yann L. a fait une action non répertoriée.');
    });
  });

  describe('presentAuditChange()', () => {
    it('shows states with the lifecycle’s French labels and fields with French names', () => {
      expect(presentAuditChange({ field: 'state', before: 'pending', after: 'published' })).to.deep.equal({
        field: 'état',
        before: 'en attente de vérification par la modération',
        after: 'publié',
      });
      expect(presentAuditChange({ field: 'service', before: 'Accueil', after: 'Pôle RSA' })).to.deep.equal({ field: 'service', before: 'Accueil', after: 'Pôle RSA' });
      expect(presentAuditChange({ field: 'status', before: 'pending', after: 'active' })).to.include({ before: 'en attente', after: 'actif' });
    });
  });

  describe('presentHistoryEvent()', () => {
    it('gives the history page the sentence and French changes', () => {
      const e = {
        _id: new Types.ObjectId(), at: new Date(), action: 'contact.approve', actorName: 'Yann L.', targetType: 'contact', targetId: new Types.ObjectId(),
        changes: [{ field: 'state', before: 'pending', after: 'published' }], region: '52',
      } as unknown as ModerationEventDoc;

      const shown = presentHistoryEvent(e);

      expect(shown.sentence.text).to.equal('Yann L. a publié la fiche.');
      expect(shown.changes[0]).to.include({ field: 'état', after: 'publié' });
      expect(shown.region).to.equal('Pays de la Loire');
    });
  });
});
