/**
 * The one catalogue of audit actions (docs/moderation.md, « Journal »): every
 * code `recordEvent` (audit.ts) may write, whether it is a moderator's
 * decision (the dashboard counts those) and the French sentence the journal
 * and the contact history show. The codes are the stored strings: never
 * rename one, add a new code instead. Pure definitions: no database here.
 *
 * Sentences hold `{acteur}` (who did it, « Système » for a job or an agent's
 * objection) and may hold `{cible}` (the card, when the event names one).
 */
interface AuditActionDef {
  /** True for a moderator's decision on an item or a card (dashboard counts). */
  decision: boolean;
  /** Short French label: the journal's action filter. */
  label: string;
  /** The journal's French sentence. */
  sentence: string;
}

/** The actor's name in events the listed agent caused from their own page (no account). */
export const AGENT_ACTOR_NAME = 'L’agent';

export const AUDIT_ACTIONS = {
  // Cards: new cards and duplicates in the queue, the history page's archive and restore.
  'contact.approve': { decision: true, label: 'Fiche publiée', sentence: '{acteur} a publié la fiche {cible}' },
  'contact.approve_edited': { decision: true, label: 'Fiche corrigée puis publiée', sentence: '{acteur} a corrigé puis publié la fiche {cible}' },
  'contact.request_changes': { decision: true, label: 'Compléments demandés', sentence: '{acteur} a demandé des compléments sur la fiche {cible}' },
  'contact.reject': { decision: true, label: 'Fiche refusée', sentence: '{acteur} a refusé la fiche {cible}' },
  'contact.merge': { decision: true, label: 'Fiche fusionnée', sentence: '{acteur} a fusionné la fiche {cible} avec une fiche existante' },
  'contact.archive': { decision: true, label: 'Fiche archivée', sentence: '{acteur} a archivé la fiche {cible}' },
  'contact.restore': { decision: true, label: 'Fiche restaurée', sentence: '{acteur} a restauré la fiche {cible}' },
  'duplicate.dismiss': { decision: true, label: 'Doublon écarté', sentence: '{acteur} a jugé que la fiche {cible} n’est pas un doublon' },
  // The daily freshness job (jobs/freshness.ts).
  'contact.flag_stale': { decision: false, label: 'Fiche à vérifier (ancienne)', sentence: '{acteur} a signalé la fiche {cible} à vérifier' },
  'contact.expire': { decision: false, label: 'Fiche archivée faute de vérification', sentence: '{acteur} a archivé la fiche {cible} faute de vérification' },
  // « J’ai appelé » and the author's re-check (signals/calls.service.ts, signals/rechecks.ts).
  'contact.flag_calls': {
    decision: false,
    label: 'Fiche à vérifier (appels)',
    sentence: '{acteur} a signalé la fiche {cible} à vérifier : plusieurs collègues ont trouvé le numéro faux ou plus attribué',
  },
  'contact.recheck_asked': { decision: false, label: 'Auteur invité à revérifier', sentence: '{acteur} a demandé à l’auteur de la fiche {cible} de la revérifier' },
  'contact.recheck_queued': {
    decision: false,
    label: 'Fiche transmise à la modération',
    sentence: '{acteur} a transmis la fiche {cible} à la modération : son auteur ne l’a pas revérifiée à temps',
  },
  'contact.author_recheck': { decision: false, label: 'Fiche revérifiée par son auteur', sentence: '{acteur} a confirmé que la fiche {cible} est toujours valable' },
  // Proposed edits of a card.
  'revision.approve': { decision: true, label: 'Modification acceptée', sentence: '{acteur} a accepté la modification proposée de la fiche {cible}' },
  'revision.reject': { decision: true, label: 'Modification refusée', sentence: '{acteur} a refusé la modification proposée de la fiche {cible}' },
  // Members' reports and stale cards in the queue.
  'report.dismiss': { decision: true, label: 'Signalement classé sans suite', sentence: '{acteur} a classé sans suite le signalement de la fiche {cible}' },
  'report.verify': { decision: true, label: 'Fiche confirmée après signalement', sentence: '{acteur} a confirmé la fiche {cible} après un signalement' },
  'report.archive': { decision: true, label: 'Fiche archivée après signalement', sentence: '{acteur} a archivé la fiche {cible} après un signalement' },
  'stale.verify': { decision: true, label: 'Fiche ancienne confirmée', sentence: '{acteur} a confirmé que la fiche {cible} est à jour' },
  'stale.archive': { decision: true, label: 'Fiche ancienne archivée', sentence: '{acteur} a archivé la fiche {cible}, qui n’était plus vérifiée' },
  // The listed agent's objection (moderation/objections.service.ts).
  'objection.confirm': { decision: false, label: 'Opposition appliquée', sentence: '{acteur} a masqué le nom et les lignes directes de la fiche {cible} à la demande de l’agent' },
  'objection.withdraw': { decision: false, label: 'Fiche retirée sur opposition', sentence: '{acteur} a retiré la fiche {cible} de la modération à la demande de l’agent' },
  'objection.uphold': { decision: true, label: 'Opposition confirmée', sentence: '{acteur} a effacé les données de l’agent de la fiche {cible} (opposition)' },
  'objection.dismiss': { decision: true, label: 'Opposition classée sans suite', sentence: '{acteur} a classé sans suite l’opposition sur la fiche {cible}' },
  // Accounts of what a contact made possible, left with a rating.
  'account.approve': { decision: true, label: 'Témoignage accepté', sentence: '{acteur} a accepté le témoignage laissé sur la fiche {cible}' },
  'account.reject': { decision: true, label: 'Témoignage refusé', sentence: '{acteur} a refusé le témoignage laissé sur la fiche {cible}' },
  'agent.informed': { decision: false, label: 'Agent informé', sentence: '{acteur} a envoyé à l’agent de la fiche {cible} l’e-mail d’information' },
  // The listed agent, from their own page (agents/agents.service.ts): the actor is « L’agent » (AGENT_ACTOR_NAME).
  'agent.confirm': { decision: false, label: 'Confirmée par l’agent', sentence: '{acteur} a confirmé que la fiche {cible} est à jour' },
  'agent.correct': { decision: false, label: 'Correction de l’agent', sentence: '{acteur} a proposé une correction de la fiche {cible}' },
  'agent.hand_over': { decision: false, label: 'Changement de poste', sentence: '{acteur} a indiqué changer de poste : fiche {cible} à vérifier' },
  'agent.withdraw': {
    decision: false,
    label: 'Retrait par l’agent',
    sentence: '{acteur} a retiré ses coordonnées de la fiche {cible} depuis son lien personnel',
  },
  'agent.campaign_optout': {
    decision: false,
    label: 'Campagnes refusées',
    sentence: '{acteur} a refusé les e-mails de confirmation de la fiche {cible}',
  },
  'agent.campaign_sent': {
    decision: false,
    label: 'E-mail de confirmation',
    sentence: '{acteur} a demandé à l’agent de la fiche {cible} de confirmer ses coordonnées',
  },
  'agent.bounced': {
    decision: false,
    label: 'Adresse de l’agent refusée',
    sentence: '{acteur} a signalé la fiche {cible} à vérifier : l’adresse de l’agent est refusée par son serveur',
  },
  // Agencies: approved with the card that created them (a consequence of that decision), e-mail domains.
  'agency.approve': { decision: false, label: 'Organisme validé', sentence: '{acteur} a validé le nouvel organisme de la fiche {cible}' },
  'agency.domains': { decision: false, label: 'Domaines d’un organisme modifiés', sentence: '{acteur} a modifié les domaines e-mail d’un organisme' },
  // Members' accounts.
  'member.approve': { decision: true, label: 'Accès validé', sentence: '{acteur} a validé une demande d’accès' },
  'member.reject': { decision: true, label: 'Accès refusé', sentence: '{acteur} a refusé une demande d’accès' },
  'member.suspend': { decision: true, label: 'Compte suspendu', sentence: '{acteur} a suspendu un compte' },
  'member.reactivate': { decision: true, label: 'Suspension levée', sentence: '{acteur} a levé la suspension d’un compte' },
  // The administration pages (src/admin).
  'member.role_change': { decision: false, label: 'Rôle modifié', sentence: '{acteur} a modifié le rôle d’un membre' },
  'settings.thresholds': { decision: false, label: 'Seuils modifiés', sentence: '{acteur} a modifié les seuils des règles automatiques' },
  'settings.reasons': { decision: false, label: 'Motifs de refus modifiés', sentence: '{acteur} a modifié les motifs de refus' },
  'settings.approval_reasons': { decision: false, label: 'Motifs d’approbation modifiés', sentence: '{acteur} a modifié les motifs d’approbation' },
} as const satisfies Record<string, AuditActionDef>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Every code, in catalogue order. */
export const AUDIT_ACTION_CODES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, code);
}

/** The catalogue entry of a stored code, or undefined for a code it does not hold. */
export function auditActionOf(code: string): AuditActionDef | undefined {
  return isAuditAction(code) ? AUDIT_ACTIONS[code] : undefined;
}

/** The families (`contact`, `revision`…) and, for each, its verbs. */
export type AuditFamily = AuditAction extends `${infer F}.${string}` ? F : never;
export type AuditVerb<F extends AuditFamily> = Extract<AuditAction, `${F}.${string}`> extends `${F}.${infer V}` ? V : never;

/**
 * The code built from a family and a verb (`contact` + `archive`), checked at
 * compile time: a verb the family lacks fails typecheck.
 */
export function auditAction<F extends AuditFamily, V extends AuditVerb<F>>(family: F, verb: V): `${F}.${V}` & AuditAction {
  return `${family}.${verb}` as `${F}.${V}` & AuditAction;
}
