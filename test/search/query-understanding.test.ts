import { expect } from 'chai';
import { understandQuery, withinOneEdit } from '../../src/search/query-understanding';
import { buildSynonyms, catalogueAcronyms, slipsOf } from '../../src/search/synonyms';

const home = { departement: '44', region: '52' };
const read = (q: string) => understandQuery(q, home);

describe('search/query-understanding', () => {
  describe('understandQuery() — places', () => {
    it('reads a commune, scopes to its département and keeps its name last to rank its offices', () => {
      const r = read('ccas tours');

      expect(r.place).to.include({ kind: 'commune', name: 'Tours', departement: '37', region: '24', label: 'Tours (37)' });
      expect(r.text).to.equal('ccas tours');
    });

    it('reads a département by name, accents, hyphens and case aside, and takes it out of the text', () => {
      for (const q of ['MDPH Côtes-d’Armor', 'mdph cotes d armor', 'mdph COTES-D-ARMOR']) {
        const r = read(q);
        expect(r.place, q).to.include({ kind: 'departement', code: '22' });
        expect(r.text, q).to.equal('mdph');
      }
    });

    it('reads a département by number, Corsica and overseas included', () => {
      expect(read('cpam 29').place).to.include({ kind: 'departement', code: '29' });
      expect(read('caf 2a').place).to.include({ kind: 'departement', code: '2A' });
      expect(read('caf 972').place).to.include({ kind: 'departement', code: '972', name: 'Martinique' });
      expect(read('caf 29').text).to.equal('caf');
    });

    it('reads a région by name, and a postcode as its commune', () => {
      expect(read('carsat normandie').place).to.include({ kind: 'region', code: '28' });
      expect(read('carsat normandie').text).to.equal('carsat');
      const postcode = read('france travail 33100');
      expect(postcode.place).to.include({ kind: 'postcode', code: '33100', departement: '33' });
      expect(postcode.text).to.equal('france travail 33100');
    });

    it('spells out « st » and « ste », and reads names with or without their article', () => {
      expect(read('ccas st brieuc').place).to.include({ kind: 'commune', name: 'Saint-Brieuc', departement: '22' });
      expect(read('mairie ste genevieve des bois').place).to.include({ name: 'Sainte-Geneviève-des-Bois', departement: '91' });
      expect(read('caf mans').place).to.include({ name: 'Le Mans', departement: '72' });
    });

    it('never takes « Loire » for « Haute-Loire » nor « Savoie » for « Haute-Savoie »: the longest name wins', () => {
      expect(read('mdph haute savoie').place).to.include({ code: '74' });
      expect(read('mdph savoie').place).to.include({ code: '73' });
      expect(read('caf haute loire').place).to.include({ code: '43' });
      expect(read('caf loire').place).to.include({ code: '42' });
    });

    it('reads a large commune typed with a typo or cut short', () => {
      expect(read('cpam montpelier').place).to.include({ name: 'Montpellier', departement: '34' });
      expect(read('cpam montpelier').text).to.equal('cpam montpellier');
      expect(read('caf grenob').place).to.include({ name: 'Grenoble' });
    });

    it('prefers, among communes of the same name, the one the rest of the query agrees with, then the member’s', () => {
      expect(read('mairie saint herblain').place).to.include({ departement: '44' });
      expect(read('ccas valence 26').place).to.include({ name: 'Valence', departement: '26' });
      expect(read('ccas valence 26').text).to.equal('ccas valence');
    });

    it('keeps a second place that disagrees with the first as words', () => {
      const r = read('france travail brest ouest nord');

      expect(r.place).to.include({ name: 'Brest' });
      expect(r.text).to.equal('france travail ouest nord brest');
    });

    it('leaves catalogue words, agents’ names and everyday words alone', () => {
      for (const q of ['logement social', 'aide sociale enfance', 'robert', 'croix rouge', 'carte vitale', 'maison des solidarités']) {
        expect(read(q).place, q).to.equal(undefined);
        expect(read(q).text, q).to.equal(q);
      }
    });

    it('does not read a département in a string of numbers (an identifier, a date)', () => {
      expect(read('1 84 12 76 451 089 46').place).to.equal(undefined);
    });
  });

  describe('understandQuery() — numbers', () => {
    it('reads a phone number in any form, with any separators and prefixes', () => {
      for (const q of [
        '05 36 49 12 34',
        '0536491234',
        '05.36.49.12.34',
        '05-36-49-12-34',
        '+33 5 36 49 12 34',
        '+33536491234',
        '0033 5 36 49 12 34',
        '+33 (0)5 36 49 12 34',
      ]) {
        expect(read(q).phone, q).to.deep.equal({ e164: '+33536491234', display: '05 36 49 12 34' });
      }
    });

    it('routes overseas numbers to their own country code', () => {
      expect(read('0590 12 34 56').phone?.e164).to.equal('+590590123456');
      expect(read('+262 262 12 34 56').phone?.e164).to.equal('+262262123456');
    });

    it('leaves short numbers (115, 3230) and codes that are not numbers to the text search', () => {
      expect(read('115').phone).to.equal(undefined);
      expect(read('3230 caf').phone).to.equal(undefined);
      expect(read('12345').phone).to.equal(undefined);
    });
  });

  describe('withinOneEdit()', () => {
    it('accepts one insertion, deletion, substitution or swap, and nothing more', () => {
      expect(withinOneEdit('toulouse', 'toulouse')).to.equal(true);
      expect(withinOneEdit('tolouse', 'toulouse')).to.equal(true);
      expect(withinOneEdit('toulousse', 'toulouse')).to.equal(true);
      expect(withinOneEdit('toulosue', 'toulouse')).to.equal(true);
      expect(withinOneEdit('taulouse', 'toulouse')).to.equal(true);
      expect(withinOneEdit('tolose', 'toulouse')).to.equal(false);
    });
  });

  describe('acronym slips (synonyms)', () => {
    it('maps one missing letter or one swap of each catalogue acronym to it', () => {
      const synonyms = buildSynonyms();

      expect(synonyms.siao).to.not.equal(undefined);
      expect(synonyms.sao).to.deep.equal(['siao']);
      expect(synonyms.dil).to.deep.equal(['adil']);
      expect(synonyms.pmca).to.equal(undefined);
      expect(synonyms.cpma).to.deep.equal(['cpam']);
      expect(slipsOf('ofii')).to.include.members(['ofi', 'fii', 'oifi']);
    });

    it('never turns a slip into a word, an other acronym or a slip of two acronyms', () => {
      const synonyms = buildSynonyms();

      expect(synonyms.pas).to.equal(undefined); // « pas » is a word, not PASS
      expect(synonyms.cas).to.equal(undefined);
      expect(synonyms.ans).to.equal(undefined);
      expect(synonyms.caf).to.not.deep.equal(['cnaf']); // CAF is an acronym of its own
      expect(catalogueAcronyms()).to.include.members(['ofii', 'caf', 'cpam', 'mdph', 'siao', 'ccas', 'adil', 'pass']);
    });

    it('stays a few hundred entries, so that settings and reindex stay cheap', () => {
      expect(Object.keys(buildSynonyms()).length).to.be.below(800);
    });
  });
});
