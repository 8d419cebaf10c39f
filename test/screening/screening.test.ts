import { expect } from 'chai';
import {
  BLOCKING_KINDS,
  FLAG_KINDS,
  SECRECY_HINT,
  buildSecrecySummary,
  isBlocking,
  screenText,
  toFieldErrors,
  toSummaryLines,
  type Finding,
  type FindingKind,
  type ScreenOptions,
} from '../../src/screening/screening';

const NOW = new Date('2026-03-01T12:00:00Z');

function screen(text: string, options: ScreenOptions = {}) {
  return screenText({ notes: text }, { now: NOW, ...options });
}

const kinds = (findings: Finding[]): FindingKind[] => findings.map((f) => f.kind);
const blockedKinds = (text: string) => kinds(screen(text).blocked);
const flaggedKinds = (text: string, options?: ScreenOptions) => kinds(screen(text, options).flagged);

describe('screening', () => {
  describe('screenText()', () => {
    describe('NIR', () => {
      it('blocks a valid NIR and names the field', () => {
        const result = screenText({ tips: 'Usager 2 55 08 14 168 025 38 à rappeler' }, { now: NOW, fieldLabels: { tips: 'Astuces' } });

        expect(result.blocked).to.deep.equal([{
          field: 'tips',
          label: 'Astuces',
          kind: 'nir',
          count: 1,
          recognised: 'un numéro de sécurité sociale (NIR)',
          message: '« Astuces » : nous y avons reconnu un numéro de sécurité sociale (NIR).',
        }]);
      });

      it('blocks compact NIRs, Corsican ones included, and counts them', () => {
        const result = screen('NIR 295109912611193 et 253072B07300470 puis 253072A07300443');

        expect(result.blocked).to.have.length(1);
        expect(result.blocked[0]).to.include({ kind: 'nir', count: 3 });
      });

      it('blocks NIRs written with dots, dashes or non-breaking spaces', () => {
        const texts = ['2.55.08.14.168.025.38', '2-55-08-14-168-025-38', '2\u00a055\u00a008\u00a014\u00a0168\u00a0025\u00a038', '2 55 08 14 168 025 38'];

        const results = texts.map(blockedKinds);

        expect(results).to.deep.equal([['nir'], ['nir'], ['nir'], ['nir']]);
      });

      it('sees through invisible characters and full-width digits', () => {
        const results = ['2\u200b55 08 14 168 025 38', '２５５０８１４１６８０２５３８'].map(blockedKinds);

        expect(results).to.deep.equal([['nir'], ['nir']]);
      });

      it('still blocks a NIR-shaped number without key or with a wrong key', () => {
        const results = ['NIR sans clé 1 85 05 78 006 084', 'Mauvaise clé 295109912611199', '185057800608'].map(blockedKinds);

        expect(results).to.deep.equal([['nir_like'], ['nir_like'], []]);
      });

      it('ignores a NIR shape whose month cannot exist', () => {
        const blocked = blockedKinds('Référence 1 85 15 78 006 084 22');

        expect(blocked).to.deep.equal([]);
      });
    });

    describe('allocataire and dossier numbers', () => {
      it('blocks a CAF number given in context', () => {
        const results = [
          'N° allocataire : 1234567',
          'dossier CAF 7654321',
          'numéro de dossier : 12345678',
          'matricule MSA 123456',
          'Caf n° 0123456',
        ].map(blockedKinds);

        expect(results).to.deep.equal([['caf_number'], ['caf_number'], ['caf_number'], ['caf_number'], ['caf_number']]);
      });

      it('does not take a partner code for an allocataire number', () => {
        const result = screen('Code partenaire CAF : 123456, code partenaire 1234567.');

        expect(result).to.deep.equal({ blocked: [], flagged: [] });
      });

      it('flags a bare 7-digit number, a France Travail-like id and long numbers', () => {
        const result = screen('Réf 1234567, identifiant 1234567A, 0123456789012 et 9876543210');

        expect(result.blocked).to.deep.equal([]);
        expect(result.flagged).to.have.length(1);
        expect(result.flagged[0]).to.include({ kind: 'possible_identifier', count: 4 });
      });

      it('leaves numbers after « bureau », « poste » or « SIRET » alone', () => {
        const result = screen('Bureau 1234567, poste 7654321, SIRET 12345678901234, SIRET 130 005 481 00010, FINESS 1234567');

        expect(result).to.deep.equal({ blocked: [], flagged: [] });
      });
    });

    describe('contact data', () => {
      it('blocks e-mail addresses', () => {
        const results = ['jean.dupont@gmail.com', 'écrire à Prenom.Nom+caf@exemple.fr svp', 'a_b@c-d.gouv.fr'].map(blockedKinds);

        expect(results).to.deep.equal([['email'], ['email'], ['email']]);
      });

      it('blocks phone numbers of people, metropolitan, overseas and foreign', () => {
        const results = [
          'au 06 12 34 56 78', 'au 0612345678', '+33 1 23 45 67 89', '+262 262 12 34 56', '0262 12 34 56',
          '00 33 6 12 34 56 78', '+32 2 550 12 34', '06.12.34.56.78',
        ].map(blockedKinds);

        expect(results.every((k) => k.length === 1 && k[0] === 'phone')).to.equal(true);
      });

      it('lets service numbers through: 08 numbers and short numbers', () => {
        const result = screen('Plateforme 0800 12 34 56, 0 806 12 34 56 ou +33 8 10 12 34 56 ; sinon le 3230 ou le 115.');

        expect(result).to.deep.equal({ blocked: [], flagged: [] });
      });

      it('blocks an IBAN, French without checksum or foreign with a valid one', () => {
        const results = ['IBAN FR76 3000 6000 0112 3456 7890 189', 'FR7630006000011234567890189', 'DE89 3704 0044 0532 0130 00'].map(blockedKinds);

        expect(results).to.deep.equal([['iban'], ['iban'], ['iban']]);
      });

      it('ignores IBAN-like codes with a wrong checksum outside France', () => {
        const blocked = blockedKinds('Référence DE00 3704 0044 0532 0130 00');

        expect(blocked).not.to.include('iban');
      });
    });

    describe('dates', () => {
      it('blocks a date in a birth context', () => {
        const texts = [
          'né le 12/03/1985', 'née le 3 mars 1990', 'née en 1985', 'né(e) le 03.04.1985', 'née en avril 1985', 'nés le 03/04/2008',
          'DDN : 03/04/85', 'ddn 1970', 'date de naissance 1990-03-03', 'né à Saint-Nazaire le 1er juin 1979',
          'ne le 03/04/1985', 'NÉE LE 12/03/1985',
        ];

        const results = texts.map((text) => [text, blockedKinds(text)]);

        for (const [text, blocked] of results) expect(blocked, String(text)).to.deep.equal(['birth_date']);
      });

      it('only flags a year of birth given for a group ("les jeunes nés en 2008")', () => {
        const result = screen('Pour les jeunes nés en 2008, voir la Mission locale.');

        expect(kinds(result.blocked)).to.deep.equal([]);
        expect(kinds(result.flagged)).to.deep.equal(['date']);
      });

      it('flags a full date whose year is a plausible birth year', () => {
        const results = ['12/03/1985', '3 mars 1990', '1990-03-03', '12/03/85', '01/01/2015'].map((text) => flaggedKinds(text));

        expect(results).to.deep.equal([['date'], ['date'], ['date'], ['date'], ['date']]);
      });

      it('does not flag office-hour dates, recent dates or quoted laws', () => {
        const texts = [
          'fermé le 14/07', 'fermé du 24/12 au 02/01', 'fermé le 14/07/2025', 'mise à jour le 03/02/2026',
          'depuis le 1er janvier 2024', 'loi du 11 février 2005', 'décret n° 2015-1446 du 6 novembre 2015',
          'ne pas appeler avant 2025', 'Appeler entre 9h et 12h', 'de 8h30–12h00 et 13h30-16h30',
          'Horaires 8.30-12.00 / 13.30-17.00', 'version 2.3.15 du portail',
        ];

        const results = texts.map((text) => [text, screen(text)] as const);

        for (const [text, result] of results) expect(result, text).to.deep.equal({ blocked: [], flagged: [] });
      });
    });

    describe('names', () => {
      it('blocks a named person\'s file', () => {
        const results = [
          'Dossier de Mme Durand bloqué', 'situation de M. X à revoir', 'la demande de la famille Martin', 'le cas de l\'enfant Lucas',
        ].map(blockedKinds);

        expect(results).to.deep.equal([['beneficiary_name'], ['beneficiary_name'], ['beneficiary_name'], ['beneficiary_name']]);
      });

      it('flags a civility or family word followed by a name or an initial', () => {
        const texts = [
          'Appeler Mme Durand', 'voir M. X', 'Monsieur DUPONT', 'famille Martin', "l'enfant Lucas", 'Mme D.',
          'Madame Le Gall', 'usager Benali', 'fille Léa', 'M Durand', 'Mr. Durand',
        ];

        const results = texts.map((text) => [text, flaggedKinds(text)] as const);

        for (const [text, flagged] of results) expect(flagged, text).to.deep.equal(['civility_name']);
      });

      it('does not flag civilities followed by a title or an acronym', () => {
        const texts = ['Madame la directrice reçoit le mardi', 'M. le Maire', 'Madame, Monsieur', 'allocataire CAF', 'famille HLM'];

        const results = texts.map((text) => [text, screen(text)] as const);

        for (const [text, result] of results) expect(result, text).to.deep.equal({ blocked: [], flagged: [] });
      });

      it('flags an upper-case word outside the acronym allow-list', () => {
        const flagged = screen('Rappeler DURAND pour le dossier').flagged;

        expect(flagged).to.have.length(1);
        expect(flagged[0]).to.include({ kind: 'uppercase_word', count: 1 });
        expect(flagged[0]!.message).to.equal('« notes » : nous y avons reconnu un mot en majuscules qui pourrait être un nom de famille.');
      });

      it('accepts catalog acronyms, place names, emphasis words and extra allowed words', () => {
        const text = 'CAF, CPAM, RSA, FSL, MDPH, APL, CNAF, SIAO, UDAF, CHRS : CAF de la GIRONDE, SEINE-SAINT-DENIS, ÎLE-DE-FRANCE. NE PAS APPELER LE MATIN, URGENT. Partenaire SOLIHA, poste XXX.';

        const result = screen(text, { allowWords: ['Soliha'] });

        expect(result).to.deep.equal({ blocked: [], flagged: [] });
      });
    });

    describe('ordinary service text', () => {
      it('finds nothing in the notes colleagues usually write', () => {
        const texts = [
          'Très efficace pour les dossiers RSA, demander le service FSL.',
          'Appeler entre 9h et 12h, sauf le mercredi.',
          'Demander le code partenaire à l\'accueil, bureau 12.',
          'Ligne partenaires du lundi au vendredi, 9h-12h / 14h-16h30.',
          'Envoyer les dossiers APL par la messagerie partenaires de la CAF de la GIRONDE.',
          'Depuis la loi du 11 février 2005, la MDPH instruit la PCH.',
          'Réponse sous 48 h, délai moyen 15 jours, 3 relances maximum.',
          'Accueil des 16-25 ans sans rendez-vous, 2e étage, salle 204.',
          'Le service a ouvert en mars 2021 ; France Travail remplace Pôle emploi depuis 2024.',
          'Tarif : 0,15 €/min. Taper 2 puis 3 pour le service social.',
          'La référente RSA répond vite aux mails envoyés via le portail partenaires.',
        ];

        const results = texts.map((text) => [text, screen(text)] as const);

        for (const [text, result] of results) expect(result, text).to.deep.equal({ blocked: [], flagged: [] });
      });
    });

    describe('robustness', () => {
      it('screens long adversarial input without catastrophic backtracking', function () {
        // A super-linear pattern would take minutes on these inputs and trip the test timeout.
        this.timeout(10_000);
        const inputs = ['a'.repeat(20000), '1'.repeat(20000), 'a.'.repeat(10000), 'Mme '.repeat(5000), 'né '.repeat(5000)];

        const results = inputs.map((text) => screen(text));

        expect(results).to.have.length(inputs.length);
      });
    });

    describe('messages and fields', () => {
      it('never repeats the detected value in a message', () => {
        const secrets = ['2 55 08 14 168 025 38', 'jean.dupont@gmail.com', '06 12 34 56 78', '1234567', '12/03/1985', 'Durand', 'FR76'];
        const text = `NIR ${secrets[0]}, ${secrets[1]}, ${secrets[2]}, N° allocataire ${secrets[3]}, né le ${secrets[4]}, Mme ${secrets[5]}, IBAN ${secrets[6]} 3000 6000 0112 3456 7890 189`;

        const result = screen(text);

        const messages = [...result.blocked, ...result.flagged].map((f) => f.message).join('\n');
        expect(kinds(result.blocked)).to.have.members(['nir', 'email', 'phone', 'caf_number', 'birth_date', 'iban']);
        for (const secret of secrets) expect(messages).not.to.include(secret);
      });

      it('reports each field separately and skips empty ones', () => {
        const result = screenText(
          { notes: 'jean.dupont@gmail.com', hours: 'lundi 9h-12h', service: '', comment: undefined, tips: 'Mme Durand' },
          { now: NOW, fieldLabels: { notes: 'Notes', tips: 'Astuces' } },
        );

        expect(result.blocked.map((f) => [f.field, f.kind])).to.deep.equal([['notes', 'email']]);
        expect(result.flagged.map((f) => [f.field, f.kind])).to.deep.equal([['tips', 'civility_name']]);
        expect(result.blocked[0]!.message).to.match(/« Notes »/);
        expect(result.flagged[0]!.message).to.match(/« Astuces »/);
      });

      it('reports one span once, under its most specific kind', () => {
        const results = ['Écrire à DURAND1234567@gmail.com', 'Écrire à 1850578006084@gmail.com'].map((text) => screen(text));

        for (const result of results) expect(result).to.deep.include({ flagged: [] });
        expect(results.map((r) => kinds(r.blocked))).to.deep.equal([['email'], ['email']]);
      });
    });
  });

  describe('isBlocking()', () => {
    it('splits the kinds between blocking and flagging', () => {
      const blocking = BLOCKING_KINDS.map(isBlocking);
      const flagging = FLAG_KINDS.map(isBlocking);

      expect(blocking.every(Boolean)).to.equal(true);
      expect(flagging.some(Boolean)).to.equal(false);
    });
  });

  describe('buildSecrecySummary()', () => {
    it('cites professional secrecy once and says how to rephrase, without repeating the fields', () => {
      const { blocked } = screenText(
        { notes: 'NIR 295109912611193', tips: 'jean.dupont@gmail.com' },
        { now: NOW, fieldLabels: { notes: 'Notes', tips: 'Astuces' } },
      );

      const summary = buildSecrecySummary(blocked);

      expect(summary).to.equal(
        'Pour respecter le secret professionnel, aucune information sur les personnes accompagnées ne peut être enregistrée '
          + "(art. L. 411-3 du code de l'action sociale et des familles). "
          + 'Décrivez le service, pas la situation : par exemple « demander le pôle partenaires, préciser le code partenaire, rappeler après 14 h ».',
      );
      expect(summary).not.to.include('Notes').and.not.to.include('Astuces');
    });

    it('returns the notice alone when nothing was blocked', () => {
      const summary = buildSecrecySummary([]);

      expect(summary).to.match(/^Pour respecter le secret professionnel/).and.not.match(/Décrivez/);
    });
  });

  describe('toFieldErrors()', () => {
    it('says at the field what was recognised there and how to rephrase', () => {
      const { blocked } = screen('NIR 295109912611193, jean.dupont@gmail.com');

      const errors = toFieldErrors(blocked);

      expect(Object.keys(errors)).to.deep.equal(['notes']);
      expect(errors.notes).to.equal(
        'Nous y avons reconnu une adresse e-mail personnelle et un numéro de sécurité sociale (NIR). Retirez-les. '
          + 'Décrivez le service, pas la situation : par exemple « demander le pôle partenaires, préciser le code partenaire, rappeler après 14 h ».',
      );
    });

    it('calls a phone number in the tips a personal number, never an invitation to move it into the card', () => {
      const { blocked } = screenText({ tips: 'rappeler Mme Durand au 06 12 34 56 78' }, { now: NOW, fieldLabels: { tips: 'Comment le joindre' } });

      expect(toFieldErrors(blocked).tips).to.match(/^Nous y avons reconnu un numéro de téléphone personnel\. Retirez-le\./);
      expect(toFieldErrors(blocked).tips).not.to.match(/champs? « téléphone/);
      expect(toSummaryLines(blocked)).to.deep.equal([{ field: 'tips', message: '« Comment le joindre » : un numéro de téléphone personnel' }]);
    });
  });

  describe('SECRECY_HINT', () => {
    it('reminds the member of professional secrecy at the point of input', () => {
      const hint = SECRECY_HINT;

      expect(hint).to.match(/personnes accompagnées/).and.match(/L\. 411-3 CASF/);
    });
  });
});

describe('screening: gaps found in the browser', () => {
  it('blocks an allocataire number written with spaces like the same digits unspaced', () => {
    expect(blockedKinds('n° allocataire : 12 34 567')).to.include('caf_number');
    expect(blockedKinds('n° allocataire : 1234567')).to.include('caf_number');
  });
  it('flags a first name after « la petite », « le petit », « son fils »', () => {
    expect(flaggedKinds('Appeler pour la petite Léa')).to.include('civility_name');
    expect(flaggedKinds('Le petit Noah attend une place')).to.include('civility_name');
    expect(flaggedKinds('Son fils Lucas est suivi')).to.include('civility_name');
  });
  it('does not take an acronym in parentheses for a surname, and still flags a bare one', () => {
    expect(flaggedKinds('Plan d’aide aux propriétaires en difficulté (PAPD)')).not.to.include('uppercase_word');
    expect(flaggedKinds('Rappeler pour DURANDEAU')).to.include('uppercase_word');
  });
});
