import { expect } from 'chai';
import { AUDIT_ACTION_CODES, AUDIT_ACTIONS, auditAction, auditActionOf, isAuditAction } from '../../src/audit/audit-actions';
import { ACTIONS_BY_TYPE, decisionAuditAction } from '../../src/moderation/moderation.service';
import { ITEM_TYPES, type ItemType } from '../../src/inbox/queue-item.model';

describe('audit-actions', () => {
  describe('AUDIT_ACTIONS', () => {
    it('gives every code a French label and a sentence naming who acted', () => {
      for (const code of AUDIT_ACTION_CODES) {
        const def = AUDIT_ACTIONS[code];

        expect(code, code).to.match(/^[a-z]+\.[a-z_]+$/);
        expect(def.label, code).to.match(/^[A-ZÉ]/);
        expect(def.sentence, code).to.match(/^\{acteur\} /);
        expect(def.sentence, code).not.to.match(/[a-z]+\.[a-z_]+/);
      }
    });

    it('keeps the stored codes the existing events use', () => {
      for (const code of ['contact.approve', 'contact.reject', 'revision.approve', 'objection.confirm', 'agent.informed', 'member.role_change', 'settings.reasons']) {
        expect(isAuditAction(code), code).to.equal(true);
      }
    });
  });

  describe('decisionAuditAction()', () => {
    it('maps every decision every type of item offers to a catalogue code', () => {
      for (const type of Object.keys(ITEM_TYPES) as ItemType[]) {
        for (const action of ACTIONS_BY_TYPE[type]) {
          const code = decisionAuditAction(type, action);

          expect(isAuditAction(code), `${type} × ${action}`).to.equal(true);
          expect(AUDIT_ACTIONS[code].decision, `${type} × ${action}`).to.equal(true);
        }
      }
    });

    it('throws for a decision the type does not offer', () => {
      expect(() => decisionAuditAction('stale', 'merge')).to.throw(/No audit action/);
    });
  });

  describe('auditAction()', () => {
    it('builds a catalogue code from a family and a verb', () => {
      expect(auditAction('contact', 'restore')).to.equal('contact.restore');
      expect(auditActionOf(auditAction('contact', 'archive'))?.decision).to.equal(true);
    });
  });

  describe('auditActionOf()', () => {
    it('returns undefined for a code the catalogue does not hold', () => {
      expect(auditActionOf('contact.unknown')).to.equal(undefined);
      expect(auditActionOf('toString')).to.equal(undefined);
    });
  });
});
