/**
 * Demo contacts: 3 to 6 per demo agency, service lines and named agents.
 *
 * Phone numbers. Every number in the demo and synthetic data comes from the blocks that ARCEP's
 * plan national de numérotation reserves for audiovisual fiction (annexe 1 de la décision
 * n° 2018-0881 modifiée, § 2.5.12; FICTION_RANGES in src/contacts/phone.ts): 01 99 00 xx xx
 * (Île-de-France), 02 61 91 xx xx (Nord-Ouest), 03 53 01 xx xx (Nord-Est), 04 65 71 xx xx
 * (Sud-Est), 05 36 49 xx xx (Sud-Ouest) and 06 39 98 xx xx (mobiles), 10 000 numbers each, never
 * assigned to a subscriber. There is no fiction block for overseas fixed lines, so La Réunion's
 * lines use 06 39 98, which E.164 writes +262 639 98 xx xx. Numbers are built by `fictionalPhone`
 * and handed out by `createNumberPool` (seeds/agencies.ts) so that no two demo contacts share one.
 *
 * People. The agents are fictional: a common French first name with either an initial (the
 * minimisation the domain recommends) or a surname taken from drafting words (Esquisse,
 * Maquette, Brouillon…). They are not, and must never be replaced by, real agents of these
 * administrations. No text says anything about a person helped: test/seeds/demo.test.ts runs every
 * free-text field through the confidentiality screening.
 */
import { Types } from 'mongoose';
import { Agency } from '../src/agencies/agency.model';
import { Contact, type ContactDoc, type ContactState } from '../src/contacts/contact.model';
import { foldKey } from '../src/core/text';
import { Member } from '../src/members/member.model';
import { listTopicsForAgencyType } from '../src/reference/catalog';
import { createNumberPool, DEMO_AGENCIES, type FictionNumber, inChunks, NUMBER_SLICES, UPDATE_CHUNK } from './agencies';
import { DEMO_ACCOUNTS } from './members';

// --- Templates shared with the synthetic generator ------------------------------------------------

/** A function title, feminine then masculine when they differ. */
type Gendered = string | readonly [string, string];
export type RoleTemplate = {
  kind: 'agent' | 'service_line';
  function?: Gendered;
  service: string;
  topics: readonly string[];
  tips?: string;
  /** Service lines: has a functional mailbox. */
  email?: boolean;
  /** Agents: reached through the switchboard and an extension, or also on a professional mobile. */
  reach?: 'switchboard' | 'mobile';
};

const agent = (fn: Gendered, service: string, topics: string[], tips?: string, reach?: RoleTemplate['reach']): RoleTemplate => ({
  kind: 'agent', function: fn, service, topics, ...(tips ? { tips } : {}), ...(reach ? { reach } : {}),
});
const line = (service: string, topics: string[], tips?: string, email = false): RoleTemplate => ({
  kind: 'service_line', service, topics, ...(tips ? { tips } : {}), ...(email ? { email } : {}),
});

const PARTNER_REF = 'Se présenter comme travailleur social et citer la référence partenaire de la structure.';

/**
 * Roles by agency type, most useful first (a demo agency takes the first 3 to 6). Topics are
 * among the catalog's usual topics of the type; tips are written as colleagues write them.
 */
export const ROLE_TEMPLATES: Readonly<Record<string, readonly RoleTemplate[]>> = {
  CAF: [
    agent(['Référente RSA et prime d\'activité', 'Référent RSA et prime d\'activité'], 'Pôle solidarité et insertion', ['RSA', 'PRIME_ACTIVITE'],
      `${PARTNER_REF} Répond sous 48 h aux messages laissés avant midi.`),
    line('Ligne partenaires (travailleurs sociaux)', ['AIDE_LOGEMENT', 'PRESTATIONS_FAMILIALES', 'RSA'],
      "Ligne réservée aux partenaires : ne jamais la communiquer aux allocataires. Préparer le numéro d'allocataire avant d'appeler, sans le laisser sur la messagerie.", true),
    agent(['Conseillère action sociale', 'Conseiller action sociale'], 'Action sociale familles', ['AIDES_FINANCIERES', 'FSL'],
      "Pour une aide financière, envoyer d'abord l'évaluation sociale par la messagerie partenaires, puis appeler."),
    agent('Gestionnaire indus et recouvrement', 'Recouvrement', ['INDUS_DETTES_ORGANISMES'],
      'Pour une remise de dette, joindre un budget détaillé ; la commission de recours amiable se réunit une fois par mois.', 'switchboard'),
    line('Cellule ARIPA – pensions alimentaires', ['PENSION_ALIMENTAIRE'], "Délai de traitement d'environ trois semaines ; relancer par la messagerie plutôt que par téléphone.", true),
    agent(['Référente logement', 'Référent logement'], 'Aides au logement', ['AIDE_LOGEMENT', 'EXPULSION_LOCATIVE'],
      "En cas de procédure d'expulsion, signaler la situation rapidement pour le maintien de l'aide au logement."),
  ],
  CPAM: [
    line('Mission accompagnement santé', ['ACCES_SOINS', 'CSS'], "Saisine par la fiche de signalement partenaire ; rappel sous cinq jours ouvrés.", true),
    agent(['Conseillère partenaires', 'Conseiller partenaires'], 'Relations partenaires', ['AFFILIATION_MALADIE', 'CARTE_VITALE', 'CSS'],
      `${PARTNER_REF} Privilégier la messagerie pour l'envoi des pièces.`),
    agent(['Référente AME', 'Référent AME'], 'Pôle AME', ['AME'], "Dépôt des demandes d'AME sur rendez-vous ; vérifier la liste des pièces avant l'envoi.", 'mobile'),
    agent(['Coordinatrice accès aux droits', 'Coordinateur accès aux droits'], 'Accès aux droits et aux soins', ['ACCES_SOINS', 'CSS', 'AFFILIATION_MALADIE']),
    line('Indemnités journalières – ligne partenaires', ['IJ_INVALIDITE'], 'Plus facile à joindre en début de matinée ; éviter le lundi.'),
    agent('Gestionnaire indus', 'Recouvrement', ['INDUS_DETTES_ORGANISMES'], undefined, 'switchboard'),
  ],
  CGSS: [
    line('Ligne partenaires assurance maladie', ['AFFILIATION_MALADIE', 'CSS'], PARTNER_REF, true),
    agent(['Conseillère retraite', 'Conseiller retraite'], 'Retraite', ['RETRAITE', 'ASPA'], "Préparer le relevé de carrière avant l'appel."),
    agent(['Référente accès aux droits', 'Référent accès aux droits'], 'Accès aux droits santé', ['CARTE_VITALE', 'CSS']),
    line('Cotisations des travailleurs indépendants', ['COTISATIONS_INDEPENDANTS'], 'Demander un échéancier avant toute relance par huissier.'),
  ],
  CARSAT: [
    line('Ligne partenaires retraite', ['RETRAITE', 'ASPA'], 'Ligne réservée aux professionnels : ne pas la transmettre aux personnes accompagnées.', true),
    agent(['Assistante de service social', 'Assistant de service social'], "Service social de l'Assurance maladie", ['IJ_INVALIDITE'],
      'Intervient en prévention de la désinsertion professionnelle, sur orientation du médecin conseil ou du partenaire.'),
    agent(['Conseillère retraite', 'Conseiller retraite'], 'Retraite et réversion', ['RETRAITE'], undefined, 'switchboard'),
    line('Réversion et ASPA', ['ASPA', 'RETRAITE']),
    agent('Gestionnaire indus', 'Recouvrement', ['INDUS_DETTES_ORGANISMES']),
  ],
  MSA: [
    line('Guichet partenaires', ['RSA', 'PRIME_ACTIVITE', 'PRESTATIONS_FAMILIALES'], PARTNER_REF, true),
    agent(['Travailleuse sociale', 'Travailleur social'], 'Action sanitaire et sociale', ['AIDES_FINANCIERES', 'AAH'], undefined, 'mobile'),
    agent(['Conseillère retraite', 'Conseiller retraite'], 'Retraite des exploitants et salariés agricoles', ['RETRAITE', 'ASPA']),
    line('Santé – affiliation', ['AFFILIATION_MALADIE', 'CSS']),
  ],
  FRANCE_TRAVAIL: [
    agent(['Conseillère référente partenaires', 'Conseiller référent partenaires'], 'Équipe partenaires (ex-Pôle emploi)', ['INSCRIPTION_EMPLOI', 'RSA'],
      `${PARTNER_REF} Pour une radiation contestée, demander d'abord le recours préalable.`),
    line('Ligne partenaires indemnisation', ['INDEMNISATION_CHOMAGE', 'INDUS_DETTES_ORGANISMES'], 'Ne traite pas les inscriptions ; réponse sous trois à cinq jours.', true),
    agent(['Conseillère accompagnement global', 'Conseiller accompagnement global'], 'Accompagnement global avec le Département', ['RSA', 'INSCRIPTION_EMPLOI'],
      "Ancienne agence Pôle emploi : l'adresse de la messagerie partenaires n'a pas changé."),
    agent(['Référente travailleurs handicapés', 'Référent travailleurs handicapés'], 'Accompagnement des personnes en situation de handicap', ['DROITS_MDPH', 'INSCRIPTION_EMPLOI']),
    agent(['Conseillère jeunes', 'Conseiller jeunes'], "Contrat d'engagement jeune", ['INSERTION_JEUNES'], undefined, 'switchboard'),
  ],
  MISSION_LOCALE: [
    agent(['Conseillère insertion', 'Conseiller insertion'], 'Accompagnement des 16-25 ans', ['INSERTION_JEUNES'], 'Proposer un premier rendez-vous en présence du jeune et du travailleur social.'),
    line('Accueil CEJ', ['INSERTION_JEUNES', 'INSCRIPTION_EMPLOI'], 'Inscriptions le matin sans rendez-vous.', true),
    agent(['Référente logement jeunes', 'Référent logement jeunes'], 'Logement et mobilité', ['INSERTION_JEUNES']),
  ],
  MDPH: [
    line('Ligne partenaires (travailleurs sociaux)', ['AAH', 'PCH', 'DROITS_MDPH'],
      'Indiquer la date de dépôt du dossier plutôt que le nom de la personne ; réponse annoncée sous une semaine.', true),
    agent(['Coordinatrice accès aux droits', 'Coordinateur accès aux droits'], 'Accueil et information', ['DROITS_MDPH', 'AAH'], PARTNER_REF),
    agent(['Référente insertion professionnelle', 'Référent insertion professionnelle'], 'Pôle adultes – insertion professionnelle', ['DROITS_MDPH']),
    agent(['Référente scolarisation', 'Référent scolarisation'], 'Pôle enfants', ['AEEH', 'DROITS_MDPH'], "Joindre le compte rendu de l'équipe éducative à toute demande ; le pôle rappelle les partenaires le jeudi."),
    line('Cellule situations complexes', ['PCH', 'DROITS_MDPH'], 'Pour une rupture de parcours, demander un groupe opérationnel de synthèse.'),
    agent('Gestionnaire PCH', 'Prestation de compensation', ['PCH'], undefined, 'switchboard'),
  ],
  CD_SSD: [
    line('Accueil du service social', ['AIDES_FINANCIERES', 'FSL'], 'Accueil sans rendez-vous le matin ; les urgences sont vues par la permanence.', true),
    agent(['Assistante sociale de secteur', 'Assistant social de secteur'], 'Polyvalence de secteur', ['AIDES_FINANCIERES', 'VIOLENCES_CONJUGALES'],
      'Demander un rendez-vous tripartite quand la situation est bloquée depuis plus d\'un mois.'),
    agent(['Conseillère en économie sociale et familiale', 'Conseiller en économie sociale et familiale'], 'Budget et logement', ['FSL', 'AIDES_FINANCIERES']),
    agent(['Référente MASP', 'Référent MASP'], "Mesures d'accompagnement social personnalisé", ['PROTECTION_MAJEURS'], undefined, 'switchboard'),
    agent(['Responsable de circonscription', 'Responsable de circonscription'], 'Direction de la circonscription', ['AIDES_FINANCIERES']),
  ],
  CD_INSERTION: [
    agent(['Référente RSA', 'Référent RSA'], 'Orientation et accompagnement RSA', ['RSA'], PARTNER_REF),
    line('Cellule suspensions et sanctions RSA', ['RSA'], 'Envoyer les observations écrites avant la date de l\'équipe pluridisciplinaire.', true),
    agent(['Chargée de mission FAJ', 'Chargé de mission FAJ'], "Fonds d'aide aux jeunes", ['INSERTION_JEUNES']),
    agent(['Coordinatrice insertion', 'Coordinateur insertion'], "Contrats d'engagement", ['RSA', 'INSERTION_JEUNES']),
  ],
  CD_ASE: [
    line('Cellule de recueil des informations préoccupantes', ['PROTECTION_ENFANCE'], "Pour une situation de danger immédiat, appeler puis confirmer par écrit dans la journée.", true),
    agent(['Responsable enfance de territoire', 'Responsable enfance de territoire'], 'Aide sociale à l\'enfance', ['PROTECTION_ENFANCE']),
    line('Évaluation des mineurs non accompagnés', ['MNA']),
  ],
  CD_PMI: [
    line('Consultations PMI', ['PERINATALITE_PMI'], 'Consultations gratuites sur rendez-vous, sans condition de droits.'),
    agent(['Puéricultrice de secteur', 'Puériculteur de secteur'], 'Protection maternelle et infantile', ['PERINATALITE_PMI']),
  ],
  CD_AUTONOMIE: [
    line('Instruction APA', ['APA'], 'Le dossier incomplet est retourné : vérifier l\'avis d\'imposition avant l\'envoi.', true),
    agent(['Évaluatrice APA', 'Évaluateur APA'], 'Équipe médico-sociale', ['APA']),
    line("Aide sociale à l'hébergement", ['AIDE_SOCIALE_HEBERGEMENT']),
    agent('Gestionnaire PCH', 'Paiement de la PCH', ['PCH']),
  ],
  CD_LOGEMENT: [
    line('Secrétariat du FSL', ['FSL'], 'Le FSL accès se demande avant la signature du bail.', true),
    agent(['Instructrice FSL énergie', 'Instructeur FSL énergie'], 'FSL énergie et eau', ['FSL', 'ENERGIE_EAU']),
    agent(['Chargée de prévention des expulsions', 'Chargé de prévention des expulsions'], 'Prévention des expulsions', ['EXPULSION_LOCATIVE']),
  ],
  PREFECTURE: [
    line('Bureau du séjour – ligne partenaires', ['TITRE_SEJOUR'],
      "Joignable seulement par les structures conventionnées ; ne pas transmettre le numéro aux personnes. Les demandes passent par l'ANEF."),
    agent(['Cheffe du bureau de l\'asile', 'Chef du bureau de l\'asile'], 'Guichet unique des demandeurs d\'asile', ['ASILE']),
    agent(['Référente CCAPEX', 'Référent CCAPEX'], 'Prévention des expulsions', ['EXPULSION_LOCATIVE', 'DALO_DAHO'],
      'Saisir la CCAPEX dès le commandement de payer, sans attendre le concours de la force publique.'),
    line('Secrétariat de la commission de médiation DALO', ['DALO_DAHO'], undefined, true),
    agent(['Adjointe au chef du bureau du séjour', 'Adjoint au chef du bureau du séjour'], 'Bureau du séjour', ['TITRE_SEJOUR'], undefined, 'switchboard'),
    line('Agréments de domiciliation', ['DOMICILIATION']),
  ],
  OFII: [
    line("Pôle asile – conditions matérielles d'accueil", ['ASILE'], 'Pour une suspension de l\'allocation, joindre la convocation manquée et son motif.', true),
    agent(['Référente intégration', 'Référent intégration'], "Contrat d'intégration républicaine", ['ASILE', 'RECOURS_MEDIATION']),
    agent(['Auditrice asile', 'Auditeur asile'], 'Hébergement des demandeurs d\'asile', ['ASILE']),
  ],
  DDETS: [
    line('Pôle hébergement et logement', ['HEBERGEMENT_URGENCE', 'LOGEMENT_SOCIAL'], undefined, true),
    agent(['Référente contingent préfectoral', 'Référent contingent préfectoral'], 'Logement', ['LOGEMENT_SOCIAL', 'DALO_DAHO']),
    agent(['Chargée de mission protection des majeurs', 'Chargé de mission protection des majeurs'], 'Protection juridique des majeurs', ['PROTECTION_MAJEURS']),
    line('Secrétariat DALO et DAHO', ['DALO_DAHO']),
  ],
  SIAO_115: [
    line('Ligne partenaires du SIAO (pas le 115)', ['HEBERGEMENT_URGENCE'],
      "Pour une mise à l'abri le soir même, appeler avant 15 h ; la demande doit déjà être enregistrée dans le logiciel du SIAO.", true),
    agent(['Coordinatrice insertion et logement', 'Coordinateur insertion et logement'], 'Pôle insertion', ['HEBERGEMENT_URGENCE']),
    agent(['Référente violences conjugales', 'Référent violences conjugales'], 'Mises à l\'abri spécialisées', ['VIOLENCES_CONJUGALES', 'HEBERGEMENT_URGENCE'], undefined, 'mobile'),
    line('Régulation hébergement d\'urgence', ['HEBERGEMENT_URGENCE']),
  ],
  BAILLEUR_SOCIAL: [
    agent(['Conseillère sociale', 'Conseiller social'], 'Service précontentieux', ['EXPULSION_LOCATIVE'],
      "Proposer un plan d'apurement avant l'assignation ; le bailleur accepte les échéanciers réalistes."),
    agent(['Chargée d\'attribution', 'Chargé d\'attribution'], 'Attributions', ['LOGEMENT_SOCIAL'], undefined, 'switchboard'),
    line('Accueil locataires – ligne partenaires', ['LOGEMENT_SOCIAL', 'EXPULSION_LOCATIVE'], PARTNER_REF, true),
    agent(['Conseillère en économie sociale et familiale', 'Conseiller en économie sociale et familiale'], 'Accompagnement social des locataires', ['EXPULSION_LOCATIVE']),
    agent(['Chargée de mutations', 'Chargé de mutations'], 'Mutations', ['LOGEMENT_SOCIAL']),
  ],
  ADIL: [
    line('Juristes – permanence téléphonique', ['EXPULSION_LOCATIVE', 'DALO_DAHO', 'LOGEMENT_SOCIAL'], 'Consultation gratuite ; préparer le bail et les derniers courriers reçus.', true),
    agent(['Juriste', 'Juriste'], 'Prévention des expulsions', ['EXPULSION_LOCATIVE']),
    agent(['Juriste habitat indigne', 'Juriste habitat indigne'], 'Habitat indigne', ['HABITAT_INDIGNE']),
  ],
  BANQUE_DE_FRANCE: [
    line('Secrétariat de la commission de surendettement', ['SURENDETTEMENT'], 'Le dépôt en ligne est plus rapide ; la ligne renseigne sur l\'état d\'avancement.', true),
    agent(['Rédactrice surendettement', 'Rédacteur surendettement'], 'Surendettement', ['SURENDETTEMENT']),
    line('Droit au compte', ['INCLUSION_BANCAIRE']),
  ],
  CCAS: [
    line('Domiciliation', ['DOMICILIATION'], "Attestation d'élection de domicile délivrée sous huit jours ; prévoir un justificatif de lien avec la commune.", true),
    agent(['Travailleuse sociale', 'Travailleur social'], 'Aides facultatives', ['AIDES_FINANCIERES'], 'La commission des aides se réunit chaque mardi ; envoyer la demande la veille au plus tard.'),
    agent(['Référente RSA', 'Référent RSA'], 'Accompagnement des bénéficiaires du RSA', ['RSA']),
    line('Épicerie sociale', ['AIDES_FINANCIERES'], 'Orientation par un travailleur social uniquement.'),
    agent(['Conseillère numérique', 'Conseiller numérique'], 'Accès numérique', ['ACCES_NUMERIQUE'], 'Aide à la création des comptes en ligne, sur rendez-vous.', 'switchboard'),
    agent(['Instructrice aide sociale légale', 'Instructeur aide sociale légale'], 'Aide sociale légale', ['APA', 'AIDE_SOCIALE_HEBERGEMENT']),
  ],
  MAIRIE: [
    line('État civil', ['TITRES_ETAT_CIVIL']),
    line('Guichet enregistreur de la demande de logement social', ['LOGEMENT_SOCIAL'], 'Le numéro unique est remis le jour du dépôt complet.'),
    agent(['Agente du service hygiène et salubrité', 'Agent du service hygiène et salubrité'], 'Hygiène et salubrité', ['HABITAT_INDIGNE']),
  ],
  FRANCE_SERVICES: [
    agent(['Conseillère France Services', 'Conseiller France Services'], 'Accueil France Services', ['ACCES_NUMERIQUE', 'IMPOTS']),
    line('Accueil France Services', ['ACCES_NUMERIQUE'], 'Sur rendez-vous pour les démarches longues.'),
  ],
  DGFIP: [
    line('Ligne partenaires du service des impôts des particuliers', ['IMPOTS'], 'Demande de remise gracieuse : joindre un budget et un courrier signé.', true),
    agent(['Agente des finances publiques', 'Agent des finances publiques'], 'Accueil des particuliers', ['IMPOTS']),
  ],
  TRIBUNAL_JUDICIAIRE: [
    line("Bureau d'aide juridictionnelle", ['AIDE_JURIDICTIONNELLE']),
    line('Greffe des tutelles', ['PROTECTION_MAJEURS'], 'Répond aux professionnels le matin.'),
    line('Greffe du juge des enfants', ['PROTECTION_ENFANCE']),
    line('Greffe du juge des contentieux de la protection', ['EXPULSION_LOCATIVE', 'SURENDETTEMENT']),
  ],
  POINT_JUSTICE: [
    line('Accueil et prise de rendez-vous', ['AIDE_JURIDICTIONNELLE'], 'Permanences gratuites d\'avocats et de conciliateurs sur rendez-vous.', true),
    agent(['Coordinatrice', 'Coordinateur'], 'Accès au droit', ['AIDE_JURIDICTIONNELLE', 'VIOLENCES_CONJUGALES']),
    line("Permanence d'aide aux victimes", ['VIOLENCES_CONJUGALES'], 'Permanence sans rendez-vous le mercredi après-midi.'),
  ],
  SPIP: [
    agent(["Conseillère pénitentiaire d'insertion et de probation", "Conseiller pénitentiaire d'insertion et de probation"], 'Milieu ouvert', ['JUSTICE_INSERTION']),
    line('Accueil du SPIP', ['JUSTICE_INSERTION'], 'Préparer les sorties au moins trois mois avant la date prévue.'),
  ],
  URSSAF: [
    line('Ligne partenaires travailleurs indépendants', ['COTISATIONS_INDEPENDANTS'], PARTNER_REF, true),
    agent(['Conseillère action sociale', 'Conseiller action sociale'], 'Action sociale des indépendants', ['COTISATIONS_INDEPENDANTS']),
  ],
  HOPITAL: [
    line("PASS – permanence d'accès aux soins de santé", ['ACCES_SOINS', 'AME'], 'Consultations sans droits ouverts ; appeler la veille pour prévenir.', true),
    agent(['Assistante sociale des urgences', 'Assistant social des urgences'], 'Service social hospitalier', ['ACCES_SOINS']),
    agent(['Assistante sociale de la maternité', 'Assistant social de la maternité'], 'Maternité', ['PERINATALITE_PMI'], undefined, 'switchboard'),
  ],
};

/** The roles of an agency type; types without a template get one service line on their usual topics. */
export function rolesFor(typeCode: string): readonly RoleTemplate[] {
  const roles = ROLE_TEMPLATES[typeCode];
  if (roles) return roles;
  const topics = listTopicsForAgencyType(typeCode).filter((t) => !t.anyAgencyType).slice(0, 2).map((t) => t.code);
  return [line('Accueil partenaires', topics.length ? topics : ['RECOURS_MEDIATION'], PARTNER_REF)];
}

export const FIRST_NAMES_F = [
  'Claire', 'Nadia', 'Sophie', 'Élodie', 'Aurélie', 'Fatima', 'Camille', 'Julie', 'Sandrine', 'Nathalie', 'Émilie', 'Karima',
  'Laetitia', 'Céline', 'Inès', 'Marie', 'Anne', 'Léa', 'Sarah', 'Aïcha', 'Valérie', 'Stéphanie', 'Mélanie', 'Christelle',
] as const;
export const FIRST_NAMES_M = [
  'Thomas', 'Karim', 'Julien', 'Nicolas', 'Mehdi', 'Sébastien', 'Olivier', 'Yannick', 'Romain', 'David', 'Frédéric', 'Samir',
  'Laurent', 'Mathieu', 'Jérôme', 'Vincent', 'Hugo', 'Antoine', 'Franck', 'Moussa', 'Kévin', 'Didier',
] as const;
/** Fictional surnames taken from drafting words, so that no full name is a real agent's. */
export const SURNAMES = [
  'Esquisse', 'Maquette', 'Brouillon', 'Ébauche', 'Croquis', 'Canevas', 'Calque', 'Gabarit', 'Épure', 'Exemple', 'Prototype', 'Fictif',
] as const;
const INITIALS = 'BCDFGHJLMNPRST';

export const HOURS = [
  'Lun–ven 9h–12h',
  'Lun–ven 9h–12h et 13h30–16h30',
  'Mar et jeu 14h–17h',
  'Lun, mar, jeu 8h30–12h',
  'Lun–jeu 9h–16h, ven 9h–12h',
  'Permanence téléphonique le mercredi 9h–12h',
  'Lun–ven 8h30–12h30, sauf le jeudi matin',
] as const;

export const GENERIC_TIPS = [
  PARTNER_REF,
  'Ligne réservée aux professionnels : ne pas la transmettre aux personnes accompagnées.',
  'Laisser un message avec le nom de la structure et un numéro de rappel professionnel ; rappel sous 48 h.',
  'Plus facile à joindre en début de matinée ; éviter le lundi.',
  "Envoyer d'abord les pièces par la messagerie partenaires, puis appeler pour signaler l'envoi.",
  "Demander un rendez-vous tripartite quand la situation est bloquée depuis plus d'un mois.",
] as const;

/** Free-text fields of a contact: the ones the confidentiality screening reads. */
export const FREE_TEXT_FIELDS = ['function', 'service', 'hours', 'tips'] as const;

/** The n-th fictional agent: alternates feminine and masculine names; one in three has a surname. */
export function fictionalAgent(n: number): { firstName: string; lastName: string; feminine: boolean } {
  const feminine = n % 2 === 0;
  const names = feminine ? FIRST_NAMES_F : FIRST_NAMES_M;
  const half = Math.floor(n / 2);
  const firstName = names[(half * 7) % names.length]!;
  const lastName = n % 3 === 0 ? SURNAMES[half % SURNAMES.length]! : `${INITIALS[(n * 5) % INITIALS.length]}.`;
  return { firstName, lastName, feminine };
}

export function functionTitle(role: RoleTemplate, feminine: boolean): string | undefined {
  if (!role.function) return undefined;
  return typeof role.function === 'string' ? role.function : role.function[feminine ? 0 : 1];
}

export const agentKeyOf = (firstName: string, lastName: string) => foldKey(`${firstName} ${lastName}`);

/** 'CAF de Loire-Atlantique' → 'caf-de-loire-atlantique', at most 40 characters (a DNS label). */
export function slug(text: string, max = 40): string {
  const folded = foldKey(text).replace(/ /g, '-');
  return folded.length <= max ? folded : folded.slice(0, max).replace(/-[^-]*$/, '');
}

/** Addresses under demo.test (RFC 2606 reserves .test): they can never reach anyone. */
export const demoEmail = (local: string, agencyName: string) => `${slug(local, 30).replace(/-/g, '.')}@${slug(agencyName)}.demo.test`;

// --- Demo contacts -------------------------------------------------------------------------------

const DAY = 24 * 60 * 60 * 1000;

type StateOverride = { agency: string; slot: number; state: ContactState };

/**
 * The few entries that are not plain `published`: stale ones for the « à vérifier » banner, one
 * restricted (agent objection pending) and three proposals by membre@demo.test waiting for the
 * moderators of Pays de la Loire (52) and Île-de-France (11).
 */
export const DEMO_STATE_OVERRIDES: readonly StateOverride[] = [
  { agency: 'CAF de la Gironde', slot: 2, state: 'needs_check' },
  { agency: 'France Travail Lyon Part-Dieu', slot: 1, state: 'needs_check' },
  { agency: 'MDPH du Nord', slot: 2, state: 'needs_check' },
  { agency: 'Préfecture de la Haute-Garonne', slot: 0, state: 'needs_check' },
  { agency: 'CCAS de Marseille', slot: 1, state: 'needs_check' },
  { agency: 'Nantes Métropole Habitat', slot: 1, state: 'needs_check' },
  { agency: 'CPAM du Rhône', slot: 1, state: 'restricted' },
  { agency: 'CCAS de Saint-Nazaire', slot: 2, state: 'pending' },
  { agency: 'France Travail Angers Centre', slot: 2, state: 'pending' },
  { agency: 'CPAM de la Seine-Saint-Denis', slot: 2, state: 'pending' },
];

export type DemoAgencyRef = { _id: Types.ObjectId; name: string; nameKey: string; typeCode: string; departement: string; region: string; switchboard?: string | null };
/** E-mail → account id of the demo accounts. */
export type DemoAccountIds = ReadonlyMap<string, Types.ObjectId>;

type Verification = { at: Date; by: Types.ObjectId; method: string };
const METHODS = ['confirmation', 'call_outcome', 'moderator'] as const;

/** How many roles a demo agency shows: 3 to 6, varying along the list. */
const contactsPerAgency = (agencyIndex: number, available: number) => Math.min(available, 3 + ((agencyIndex * 5) % 4));

/**
 * Builds the demo contact documents (pure: no database access). Deterministic except for dates,
 * which are relative to `now` and spread over the last 18 months.
 */
export function buildDemoContacts(agencies: readonly DemoAgencyRef[], accounts: DemoAccountIds, now = new Date()) {
  const byName = new Map(agencies.map((a) => [`${a.nameKey}|${a.departement}`, a]));
  const authors = DEMO_ACCOUNTS.map((a) => accounts.get(a.email));
  if (authors.some((id) => !id)) throw new Error('Comptes de démonstration absents : créez-les avant les fiches.');
  const [member, ...others] = authors as Types.ObjectId[];
  const overrides = new Map(DEMO_STATE_OVERRIDES.map((o) => [`${o.agency}|${o.slot}`, o.state]));
  const used = new Set<string>();
  const pool = createNumberPool(...NUMBER_SLICES.demoContacts);
  const take = (departement: string, kind: 'fixed' | 'mobile'): FictionNumber => {
    const n = pool.take(departement, kind);
    if (!n) throw new Error(`Plus de numéros fictifs pour le département ${departement}`);
    return n;
  };
  const ago = (days: number) => new Date(now.getTime() - days * DAY);

  let agentCounter = 0;
  let n = 0;
  const docs = [];
  for (const [agencyIndex, spec] of DEMO_AGENCIES.entries()) {
    const agency = byName.get(`${foldKey(spec.name)}|${spec.departement}`);
    if (!agency) throw new Error(`Agence de démonstration absente : ${spec.name}`);
    const roles = rolesFor(spec.typeCode);
    let switchboardUsed = false;
    for (let slot = 0; slot < contactsPerAgency(agencyIndex, roles.length); slot++, n++) {
      const role = roles[slot]!;
      const state = overrides.get(`${spec.name}|${slot}`) ?? 'published';
      used.add(`${spec.name}|${slot}`);
      const person = role.kind === 'agent' ? fictionalAgent(agentCounter++) : undefined;

      const phones: { e164: string; kind: 'direct' | 'mobile' | 'switchboard' | 'service'; extension?: string; numberType: string }[] = [];
      if (role.kind === 'service_line') {
        const num = take(spec.departement, 'fixed');
        phones.push({ e164: num.e164, kind: 'service', numberType: num.numberType });
      } else if (role.reach === 'switchboard' && agency.switchboard && !switchboardUsed) {
        // The agency's switchboard and an extension: shared with the agency card on purpose.
        switchboardUsed = true;
        phones.push({ e164: agency.switchboard, kind: 'switchboard', extension: String(200 + ((n * 37) % 700)), numberType: 'fixed' });
      } else {
        const num = take(spec.departement, 'fixed');
        phones.push({ e164: num.e164, kind: 'direct', numberType: num.numberType });
        if (role.reach === 'mobile') {
          const mobile = take(spec.departement, 'mobile');
          phones.push({ e164: mobile.e164, kind: 'mobile', numberType: mobile.numberType });
        }
      }

      // Dates: published entries were checked within the year; stale ones 12 to 18 months ago.
      const phoneDays = state === 'pending' ? 1 + (n % 10) : state === 'needs_check' ? 380 + ((n * 29) % 150) : 3 + ((n * 37) % 340);
      const agentDays = Math.min(phoneDays + (n % 5) * 6, state === 'needs_check' ? 540 : 364);
      const hoursDays = Math.min(phoneDays + ((n * 13) % 90), 540);
      const createdDays = Math.max(phoneDays, agentDays, hoursDays) + (state === 'pending' ? 0 : 15 * (n % 4));
      const author = state === 'pending' ? member : n % 3 === 0 ? member : others[n % others.length]!;
      const verifier = state === 'pending' ? member : others[(n + 1) % others.length]!;
      const check = (days: number, i: number): Verification => ({
        at: ago(days), by: verifier, method: state === 'pending' ? 'confirmation' : METHODS[(n + i) % METHODS.length]!,
      });
      const hours = role.kind === 'service_line' || n % 4 !== 1 ? HOURS[(n * 3) % HOURS.length] : undefined;
      const email = person
        ? demoEmail(`${person.firstName} ${person.lastName}`, spec.name)
        : role.email ? demoEmail(role.service.split(/[\s–(]+/).slice(0, 2).join(' '), spec.name) : undefined;
      const verified = {
        phone: check(phoneDays, 0),
        ...(person ? { agent: check(agentDays, 1) } : {}),
        ...(email ? { email: check(agentDays, 2) } : {}),
        ...(hours ? { hours: check(hoursDays, 0) } : {}),
      };
      // lastVerifiedAt is the oldest of the critical fields (phone, and the agent for a named card).
      const checkedDays = person ? Math.max(phoneDays, agentDays) : phoneDays;
      const lastVerifiedAt = ago(checkedDays);
      const publishedAt = state === 'pending' ? undefined : ago(createdDays - 2);

      docs.push({
        agencyId: agency._id,
        kind: role.kind,
        ...(person ? { agentFirstName: person.firstName, agentLastName: person.lastName, agentKey: agentKeyOf(person.firstName, person.lastName) } : {}),
        ...(person ? { function: functionTitle(role, person.feminine) } : {}),
        service: role.service,
        phones,
        phoneKeys: [...new Set(phones.map((p) => p.e164))],
        ...(email ? { email } : {}),
        ...(hours ? { hours } : {}),
        ...(role.tips || n % 3 === 0 ? { tips: role.tips ?? GENERIC_TIPS[n % GENERIC_TIPS.length] } : {}),
        topics: [...role.topics],
        departement: agency.departement,
        region: agency.region,
        state,
        // Became stale when its last check turned 12 months old.
        ...(state === 'needs_check' ? { needsCheckSince: ago(Math.max(0, checkedDays - 365)) } : {}),
        screeningFlags: [],
        verified,
        lastVerifiedAt,
        rankScore: 0,
        revision: 1,
        indexedRevision: 0,
        searchDirty: true,
        createdBy: author,
        ...(publishedAt ? { publishedAt } : {}),
        ...(person && publishedAt ? { agentInformedAt: publishedAt } : {}),
        createdAt: ago(createdDays),
        updatedAt: ago(Math.min(phoneDays, agentDays, hoursDays)),
      });
    }
  }
  const missed = DEMO_STATE_OVERRIDES.find((o) => !used.has(`${o.agency}|${o.slot}`));
  if (missed) throw new Error(`État de démonstration sans fiche : ${missed.agency} n° ${missed.slot}`);
  return docs;
}

/** The demo accounts' ids by e-mail (they are created by seedDemoMembers). */
export async function demoAccountIds(): Promise<Map<string, Types.ObjectId>> {
  const members = await Member.find({ email: { $in: DEMO_ACCOUNTS.map((a) => a.email) } }, { email: 1 }).lean();
  return new Map(members.map((m) => [m.email, m._id as Types.ObjectId]));
}

/** Fields a demo contact may lack: a reset removes them when the demo entry has none. */
const OPTIONAL_FIELDS = [
  'agentFirstName', 'agentLastName', 'agentKey', 'function', 'email', 'hours', 'tips', 'publishedAt', 'agentInformedAt', 'needsCheckSince',
] as const;

/** What identifies a demo contact: its agency and its agent or its service line. */
const demoKey = (c: { agencyId: unknown; kind: string; agentKey?: string | null; service?: string | null }) =>
  [String(c.agencyId), c.kind, c.kind === 'agent' ? c.agentKey : c.service].join('|');

/** The fields a re-seed compares (dates move with `now`, so they are left out). */
function contentOf(c: Partial<ContactDoc> | ReturnType<typeof buildDemoContacts>[number]): string {
  const phones = (c.phones ?? []).map((p) => [p.e164, p.kind, p.extension ?? null, p.numberType ?? null]);
  const picked = [c.agentFirstName, c.agentLastName, c.function, c.email, c.hours, c.tips, c.departement, c.region, c.state]
    .map((v) => v ?? null);
  return JSON.stringify([...picked, phones, c.phoneKeys, c.topics, String(c.createdBy)]);
}

/**
 * Creates the missing demo contacts of the demo agencies (seedDemoAgencies first) and puts back
 * those whose content was changed, matched on agency + agent (agentKey) or service line (service);
 * unchanged ones are left alone, dates included, so a second run writes nothing. Returns the
 * number of demo contacts.
 */
export async function seedDemoContacts(now = new Date()): Promise<number> {
  const keys = [...new Set(DEMO_AGENCIES.map((s) => foldKey(s.name)))];
  const agencies = await Agency.find({ nameKey: { $in: keys } }, { name: 1, nameKey: 1, typeCode: 1, departement: 1, region: 1, switchboard: 1 }).lean<DemoAgencyRef[]>();
  const docs = buildDemoContacts(agencies, await demoAccountIds(), now);
  const existing = await Contact.find({ agencyId: { $in: agencies.map((a) => a._id) } }).lean<ContactDoc[]>();
  const byKey = new Map(existing.map((c) => [demoKey(c), c]));
  const missing = [];
  const resets = [];
  for (const doc of docs) {
    const current = byKey.get(demoKey(doc));
    if (!current) missing.push(doc);
    else if (contentOf(current) !== contentOf(doc)) {
      // Dates are set here, not by Mongoose, so that they spread over the past months.
      const $unset = Object.fromEntries(OPTIONAL_FIELDS.filter((f) => !(f in doc)).map((f) => [f, 1]));
      resets.push({ updateOne: { filter: { _id: current._id }, update: { $set: doc, $unset }, timestamps: false } });
    }
  }
  // Inserting is one statement per batch; each update is its own statement (and commit) on FerretDB.
  if (missing.length) await Contact.insertMany(missing, { ordered: true });
  await inChunks(resets, UPDATE_CHUNK, (chunk) => Contact.bulkWrite(chunk, { ordered: true }));
  return docs.length;
}
