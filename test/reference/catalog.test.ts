import { expect } from 'chai';
import {
  LEVELS,
  getAgencyType,
  getTopic,
  isAgencyTypeCode,
  isTopicCode,
  listAcronyms,
  listAgencyTypeGroups,
  listAgencyTypes,
  listTopicGroups,
  listTopics,
  listTopicsForAgencyType,
} from '../../src/reference/catalog';

const STABLE_CODE = /^[A-Z][A-Z0-9_]{0,23}$/;

describe('catalog', () => {
  describe('listAgencyTypes()', () => {
    it('returns the 39 agency types of docs/domain.md in the order of agency-types.json', () => {
      const codes = listAgencyTypes().map((t) => t.code);

      expect(codes).to.have.length(39);
      expect(codes.slice(0, 4)).to.deep.equal(['CAF', 'CPAM', 'CARSAT', 'CGSS']);
      expect(codes.at(-1)).to.equal('AUTRE');
    });

    it('uses stable UPPER_SNAKE_CASE codes of at most 24 characters, each once', () => {
      const codes = listAgencyTypes().map((t) => t.code);

      expect(codes.every((c) => STABLE_CODE.test(c))).to.equal(true);
      expect(new Set(codes).size).to.equal(codes.length);
    });

    it('gives every type a French label, a short label, a priority and known levels', () => {
      const types = listAgencyTypes();

      for (const t of types) {
        expect(t.label, t.code).to.be.a('string').that.is.not.empty;
        expect(t.shortLabel, t.code).to.be.a('string').that.is.not.empty;
        expect(['P1', 'P2'], t.code).to.include(t.priority);
        expect(t.levels.every((l) => (LEVELS as readonly string[]).includes(l)), t.code).to.equal(true);
      }
    });
  });

  describe('getAgencyType()', () => {
    it('returns the CGSS restricted to the overseas départements', () => {
      const cgss = getAgencyType('CGSS');

      expect(cgss?.departements).to.deep.equal(['971', '972', '973', '974', '976']);
      expect(cgss?.acronyms).to.include('CSSM');
    });

    it('keeps the former name of France Travail as a synonym', () => {
      const franceTravail = getAgencyType('FRANCE_TRAVAIL');

      expect(franceTravail?.synonyms).to.include('pôle emploi');
      expect(franceTravail?.levels).to.deep.equal(['LOCAL']);
    });

    it('marks social-security bodies but not local authorities as barred from surcharged numbers', () => {
      const barred = ['CAF', 'CPAM', 'CARSAT', 'FRANCE_TRAVAIL'].map((c) => getAgencyType(c)?.noSurchargedNumbers);
      const free = ['CCAS', 'MAIRIE', 'CD_SSD'].map((c) => getAgencyType(c)?.noSurchargedNumbers);

      expect(barred).to.deep.equal([true, true, true, true]);
      expect(free).to.deep.equal([false, false, false]);
    });

    it('returns undefined for an unknown code', () => {
      const unknown = getAgencyType('POLE_EMPLOI');

      expect(unknown).to.equal(undefined);
    });
  });

  describe('isAgencyTypeCode()', () => {
    it('accepts exact codes only', () => {
      const results = ['CAF', 'caf', 'CAF ', '', undefined, 42].map(isAgencyTypeCode);

      expect(results).to.deep.equal([true, false, false, false, false, false]);
    });
  });

  describe('listAgencyTypeGroups()', () => {
    it('places every agency type in exactly one labelled group', () => {
      const groups = listAgencyTypeGroups();

      const codes = groups.flatMap((g) => g.items.map((t) => t.code));
      expect(codes).to.have.members(listAgencyTypes().map((t) => t.code));
      expect(codes).to.have.length(39);
      expect(groups.every((g) => g.label.length > 0 && g.items.length > 0)).to.equal(true);
    });
  });

  describe('listTopics()', () => {
    it('returns the 48 topics of docs/domain.md « Topics »', () => {
      const topics = listTopics();

      expect(topics).to.have.length(48);
      expect(new Set(topics.map((t) => t.code)).size).to.equal(48);
      expect(topics.every((t) => STABLE_CODE.test(t.code))).to.equal(true);
    });

    it('suggests only known agency types', () => {
      const usual = listTopics().flatMap((t) => t.usualAgencyTypes);

      expect(usual.every(isAgencyTypeCode)).to.equal(true);
    });

    it('writes synonyms in lower case for the search engine', () => {
      const synonyms = [...listTopics(), ...listAgencyTypes()].flatMap((item) => item.synonyms);

      expect(synonyms.filter((s) => s !== s.toLowerCase())).to.deep.equal([]);
    });
  });

  describe('getTopic() and isTopicCode()', () => {
    it('returns RSA in the RESSOURCES group with its expansion', () => {
      const rsa = getTopic('RSA');

      expect(rsa).to.include({ code: 'RSA', group: 'RESSOURCES' });
      expect(rsa?.synonyms).to.include('revenu de solidarité active');
      expect(rsa?.usualAgencyTypes).to.include('CD_INSERTION');
    });

    it('keeps topic codes apart from agency-type codes except ENERGIE_EAU, both a topic and a type', () => {
      const shared = listTopics().map((t) => t.code).filter(isAgencyTypeCode);

      expect(shared).to.deep.equal(['ENERGIE_EAU']);
      expect([isTopicCode('FSL'), isTopicCode('CAF'), isTopicCode(undefined)]).to.deep.equal([true, false, false]);
    });
  });

  describe('listTopicGroups()', () => {
    it('returns the 11 groups in the order of topics.json with their topic counts', () => {
      const groups = listTopicGroups();

      expect(groups.map((g) => `${g.code}:${g.items.length}`)).to.deep.equal([
        'RESSOURCES:8', 'LOGEMENT:9', 'SANTE:6', 'HANDICAP_AUTONOMIE:5', 'EMPLOI:3', 'RETRAITE:1',
        'ETRANGERS:3', 'BUDGET:4', 'FAMILLE:4', 'JUSTICE:2', 'ADMINISTRATIF:3',
      ]);
      expect(groups.every((g) => g.label.length > 0)).to.equal(true);
    });
  });

  describe('listTopicsForAgencyType()', () => {
    it('suggests the MDPH topics plus the topics open to every agency', () => {
      const codes = listTopicsForAgencyType('MDPH').map((t) => t.code);

      expect(codes).to.have.members(['AAH', 'PCH', 'AEEH', 'DROITS_MDPH', 'RECOURS_MEDIATION']);
    });
  });

  describe('listAcronyms()', () => {
    it('contains the acronyms the screen must allow, upper-cased and without duplicates', () => {
      const acronyms = listAcronyms();

      expect(acronyms).to.include.members(['CAF', 'CPAM', 'RSA', 'FSL', 'MDPH', 'APL', 'CNAF', 'PUMA']);
      expect(acronyms.every((a) => a === a.toUpperCase())).to.equal(true);
      expect(new Set(acronyms).size).to.equal(acronyms.length);
    });
  });
});
