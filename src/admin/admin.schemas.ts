/** Input schemas of the administration pages and the audit log, with the French messages admins see. */
import { z } from 'zod';
import { parisDayStart } from '../core/calendar';
import { cleanText } from '../core/text';
import { isRegionCode } from '../reference/territories';
import { type Thresholds, ThresholdsSchema } from '../settings/thresholds';

/** A form checkbox group arrives as nothing, a string (one box) or an array (several). */
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const regionList = (missing: string) =>
  list
    .transform((v) => [...new Set(v.filter(Boolean))])
    .pipe(z.array(z.string().refine(isRegionCode, 'Région inconnue : cochez des régions de la liste.')).min(1, missing).max(18));

// --- Moderators ----------------------------------------------------------------------------------

export const AppointModeratorSchema = z.object({
  email: z
    .string({ error: 'Indiquez l’adresse e-mail du membre.' })
    .trim()
    .toLowerCase()
    .min(1, 'Indiquez l’adresse e-mail du membre.')
    .max(254, 'Cette adresse e-mail est trop longue.')
    .pipe(z.email({ error: 'Indiquez une adresse e-mail valide, par exemple prenom.nom@organisme.fr.' })),
  regions: regionList('Cochez au moins une région à confier.'),
});
export type AppointModeratorInput = z.infer<typeof AppointModeratorSchema>;

export const ModeratorRegionsSchema = z.object({
  regions: regionList('Cochez au moins une région, ou retirez le rôle de modérateur.'),
});
export type ModeratorRegionsInput = z.infer<typeof ModeratorRegionsSchema>;

// --- Canned reasons (refusal, approval) --------------------------------------------------------------------

export const REASON_CODE = /^[a-z0-9_]{2,40}$/;
const LABEL_MIN = 3;
const LABEL_MAX = 200;

function labelProblem(label: string, name: string): string | undefined {
  if (label.length < LABEL_MIN) return `${name} : le libellé compte au moins ${LABEL_MIN} caractères.`;
  if (label.length > LABEL_MAX) return `${name} : le libellé compte ${LABEL_MAX} caractères au plus.`;
  return undefined;
}

/** The names and error keys of one reasons form (two forms share the page: refusal and approval). */
interface ReasonsFormIds {
  /** Prefix of each label's input id (`label-<code>`). */
  label: string;
  newCode: string;
  newLabel: string;
  remove: string;
  /** What the moderators need a reason for, in « … en ont besoin pour … ». */
  purpose: string;
}

export const REJECT_REASON_IDS: ReasonsFormIds = { label: 'label-', newCode: 'newCode', newLabel: 'newLabel', remove: 'remove', purpose: 'refuser' };
export const APPROVAL_REASON_IDS: ReasonsFormIds = {
  label: 'approval-label-',
  newCode: 'approvalNewCode',
  newLabel: 'approvalNewLabel',
  remove: 'approvalRemove',
  purpose: 'approuver',
};

/**
 * The whole list at once: each existing reason (hidden `code`, `label`,
 * optional `remove` box) plus an optional new one. Errors are keyed by the
 * id of the input they concern (`label-<code>`, `newCode`…).
 */
function reasonsFormSchema(ids: ReasonsFormIds) {
  return z
    .looseObject({ code: list, label: list, remove: list })
    .transform((v) => ({
      code: v.code,
      label: v.label,
      remove: v.remove,
      newCode: (typeof v[ids.newCode] === 'string' ? (v[ids.newCode] as string) : '').trim().toLowerCase(),
      newLabel: cleanText(typeof v[ids.newLabel] === 'string' ? (v[ids.newLabel] as string) : ''),
    }))
    .superRefine((v, ctx) => {
      if (v.code.length !== v.label.length || v.code.some((c) => !REASON_CODE.test(c)) || new Set(v.code).size !== v.code.length) {
        ctx.addIssue({ code: 'custom', path: ['_form'], message: 'Le formulaire est incomplet : rechargez la page et recommencez.' });
        return;
      }
      v.code.forEach((code, i) => {
        if (v.remove.includes(code)) return;
        const problem = labelProblem(cleanText(v.label[i]), `Motif « ${code} »`);
        if (problem) ctx.addIssue({ code: 'custom', path: [`${ids.label}${code}`], message: problem });
      });
      const adding = v.newCode !== '' || v.newLabel !== '';
      if (adding) {
        if (!REASON_CODE.test(v.newCode)) {
          ctx.addIssue({ code: 'custom', path: [ids.newCode], message: 'Code du nouveau motif : de 2 à 40 lettres minuscules sans accent, chiffres ou « _ », par exemple numero_standard.' });
        } else if (v.code.includes(v.newCode) && !v.remove.includes(v.newCode)) {
          ctx.addIssue({ code: 'custom', path: [ids.newCode], message: `Le code « ${v.newCode} » existe déjà : choisissez-en un autre.` });
        }
        const problem = labelProblem(v.newLabel, 'Nouveau motif');
        if (problem) ctx.addIssue({ code: 'custom', path: [ids.newLabel], message: problem });
      }
      const kept = v.code.filter((c) => !v.remove.includes(c)).length;
      if (kept === 0 && !adding) {
        ctx.addIssue({ code: 'custom', path: [ids.remove], message: `Gardez au moins un motif : les modérateurs en ont besoin pour ${ids.purpose}.` });
      }
    })
    .transform((v) => ({
      reasons: [
        ...v.code.flatMap((code, i) => (v.remove.includes(code) ? [] : [{ code, label: cleanText(v.label[i]) }])),
        ...(v.newCode ? [{ code: v.newCode, label: v.newLabel }] : []),
      ],
    }));
}

/** POST /admin/motifs: the refusal reasons. */
export const ReasonsFormSchema = reasonsFormSchema(REJECT_REASON_IDS);
/** POST /admin/motifs/approbation: the approval reasons. */
export const ApprovalReasonsFormSchema = reasonsFormSchema(APPROVAL_REASON_IDS);
export type ReasonsFormInput = z.infer<typeof ReasonsFormSchema>;
export type ApprovalReasonsFormInput = z.infer<typeof ApprovalReasonsFormSchema>;

// --- Thresholds ----------------------------------------------------------------------------------

export interface ThresholdField {
  label: string;
  hint: string;
  /** A sane upper bound for the form when the stored schema has none. */
  max: number;
}

/** French label, hint and upper bound of every threshold (TypeScript checks none is missing). */
export const THRESHOLD_FIELDS: Record<keyof Thresholds, ThresholdField> = {
  reportWindowDays: { label: 'Durée de prise en compte des signalements (jours)', hint: 'Les signalements « numéro erroné », « personne partie » et « pas de réponse » comptent pendant ce nombre de jours.', max: 365 },
  needsCheckScore: { label: 'Score de signalements pour passer « à vérifier »', hint: 'Somme des poids des signalements (un membre pèse 2, un contributeur 3, un référent 4, un modérateur 6).', max: 100 },
  needsCheckReporters: { label: 'Signaleurs distincts pour passer « à vérifier »', hint: 'Il faut à la fois le score et ce nombre de personnes différentes.', max: 50 },
  maskScore: { label: 'Score de signalements pour masquer le numéro', hint: 'Le numéro s’affiche alors « signalé invalide ». Au moins égal au score « à vérifier ».', max: 100 },
  maskReporters: { label: 'Signaleurs distincts pour masquer le numéro', hint: 'Au moins égal au nombre de signaleurs « à vérifier ».', max: 50 },
  maskPositiveGraceDays: { label: 'Pas de masquage après une confirmation récente (jours)', hint: 'Le numéro n’est pas masqué si un collègue l’a confirmé depuis moins de ce nombre de jours. 0 : pas de délai.', max: 365 },
  personalDataScore: { label: 'Score de signalements « donnée personnelle » pour restreindre la fiche', hint: 'Le nom et la ligne directe sont alors masqués en attendant la modération.', max: 100 },
  trustedLevel: { label: 'Niveau de confiance à partir duquel un seul signalement « donnée personnelle » suffit', hint: '1 : membre, 2 : contributeur, 3 : référent.', max: 3 },
  ratingsPerDay: { label: 'Avis d’utilité par membre et par jour', hint: 'Au-delà, le membre doit attendre le lendemain.', max: 10_000 },
  signalsPerDay: { label: 'Retours « la ligne fonctionne » par membre et par jour', hint: 'Confirmations et retours négatifs confondus.', max: 10_000 },
  reportsPerDay: { label: 'Signalements par membre et par jour', hint: 'Au-delà, le membre doit attendre le lendemain.', max: 10_000 },
  confirmationCooldownDays: { label: 'Délai avant qu’un membre puisse redonner un retour sur la même fiche (jours)', hint: 'Un retour répété plus tôt remplace le précédent sans s’y ajouter.', max: 365 },
  validityHalfLifeDays: { label: 'Demi-vie des retours de validité (jours)', hint: 'Un retour compte moitié moins après ce délai.', max: 3650 },
  qualityHalfLifeDays: { label: 'Demi-vie des avis d’utilité (jours)', hint: 'Un avis compte moitié moins après ce délai.', max: 3650 },
  staleMonths: { label: 'Fiche à revérifier après (mois sans vérification)', hint: 'La fiche passe « à vérifier » et entre dans la file de modération.', max: 120 },
  archiveMonths: { label: 'Archivage possible après (mois sans vérification)', hint: 'Plus long que le délai de revérification.', max: 240 },
  archiveAfterNeedsCheckDays: { label: 'Archivage après (jours « à vérifier » sans réponse)', hint: 'S’applique aux fiches non vérifiées depuis le délai d’archivage.', max: 365 },
  agentCampaignMonths: { label: 'E-mail de confirmation aux agents tous les (mois)', hint: 'Chaque agent nommé avec une adresse reçoit un court e-mail pour confirmer ou corriger sa fiche ; sans réponse, rien ne change.', max: 60 },
  agentCampaignPerDay: { label: 'E-mails de confirmation aux agents par jour (au plus)', hint: 'Les envois sont étalés : le reste part les jours suivants.', max: 100_000 },
  minVotesShown: { label: 'Avis nécessaires avant d’afficher l’utilité', hint: 'En dessous, la fiche n’affiche pas de taux d’utilité.', max: 1000 },
  searchesPerHour: { label: 'Recherches par membre et par heure', hint: 'Au-delà, le membre voit une page d’explication et la modération de sa région est prévenue.', max: 100_000 },
  searchesPerDay: { label: 'Recherches par membre et par jour', hint: 'Compté du matin (minuit, heure de Paris) au soir.', max: 100_000 },
  contactViewsPerHour: { label: 'Fiches contact consultées par membre et par heure', hint: 'Chaque ouverture d’une fiche compte.', max: 100_000 },
  contactViewsPerDay: { label: 'Fiches contact consultées par membre et par jour', hint: 'Compté du matin (minuit, heure de Paris) au soir.', max: 100_000 },
  vcardsPerHour: { label: 'Cartes de visite (vCard) téléchargées par membre et par heure', hint: 'Chaque téléchargement compte.', max: 100_000 },
  vcardsPerDay: { label: 'Cartes de visite (vCard) téléchargées par membre et par jour', hint: 'Compté du matin (minuit, heure de Paris) au soir.', max: 100_000 },
  callsPerDay: { label: 'Retours « J’ai appelé » par membre et par jour', hint: 'Un second retour sur la même fiche le même jour remplace le premier (il compte quand même dans cette limite).', max: 10_000 },
  wrongCallersToFlag: { label: 'Collègues distincts « numéro faux » pour passer « à vérifier »', hint: 'Compte le dernier retour de chaque collègue, pendant la durée ci-dessous. 2 au moins : un seul membre ne suffit jamais.', max: 50 },
  callWindowDays: { label: 'Durée de prise en compte des appels (jours)', hint: 'Pour la règle « numéro faux » et pour « joint par N collègues ce mois-ci ».', max: 365 },
  recheckGraceDays: { label: 'Délai laissé à l’auteur pour revérifier sa fiche (jours)', hint: 'Une fiche ancienne ou signalée par les appels n’entre dans la file de modération qu’après ce délai, sauf si l’auteur a quitté l’annuaire ou est suspendu. 0 : tout de suite.', max: 60 },
  searchJsonMaxPage: { label: 'Dernière page de résultats servie en JSON', hint: '20 résultats par page. Les pages HTML vont jusqu’à 50.', max: 50 },
};

export const THRESHOLD_KEYS = Object.keys(THRESHOLD_FIELDS) as Array<keyof Thresholds>;

/** Form field for one threshold: French decimal text → number within the stored schema's bounds. */
function thresholdField(key: keyof Thresholds) {
  const stored = ThresholdsSchema.shape[key];
  const { label, max: formMax } = THRESHOLD_FIELDS[key];
  const min = stored.minValue ?? 0;
  const max = Math.min(stored.maxValue ?? formMax, formMax);
  const integer = stored.isInt;
  let n = z.number({ error: `${label} : indiquez un nombre.` });
  if (integer) n = n.int(`${label} : indiquez un nombre entier, sans virgule.`);
  n = n.min(min, `${label} : indiquez au moins ${min}.`).max(max, `${label} : indiquez au plus ${max.toLocaleString('fr-FR')}.`);
  return z
    .string({ error: `${label} : indiquez une valeur.` })
    .transform((v) => v.replace(/[\s\u00A0\u202F]/g, '').replace(',', '.'))
    .pipe(
      z
        .string()
        .min(1, `${label} : indiquez une valeur.`)
        .regex(/^-?\d+(\.\d+)?$/, integer ? `${label} : indiquez un nombre entier, par exemple 12.` : `${label} : indiquez un nombre, par exemple 4 ou 2,5.`),
    )
    .transform(Number)
    .pipe(n);
}

const thresholdShape = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, thresholdField(k)])) as Record<keyof Thresholds, ReturnType<typeof thresholdField>>;

/** Every threshold at once, plus the orderings the rules rely on. */
export const ThresholdsFormSchema = z.object(thresholdShape).superRefine((v, ctx) => {
  const ok = (...keys: Array<keyof Thresholds>) => keys.every((k) => typeof v[k] === 'number');
  if (ok('maskScore', 'needsCheckScore') && v.maskScore < v.needsCheckScore) {
    ctx.addIssue({ code: 'custom', path: ['maskScore'], message: `${THRESHOLD_FIELDS.maskScore.label} : au moins égal au score « à vérifier » (${v.needsCheckScore}).` });
  }
  if (ok('maskReporters', 'needsCheckReporters') && v.maskReporters < v.needsCheckReporters) {
    ctx.addIssue({ code: 'custom', path: ['maskReporters'], message: `${THRESHOLD_FIELDS.maskReporters.label} : au moins égal au nombre de signaleurs « à vérifier » (${v.needsCheckReporters}).` });
  }
  if (ok('archiveMonths', 'staleMonths') && v.archiveMonths <= v.staleMonths) {
    ctx.addIssue({ code: 'custom', path: ['archiveMonths'], message: `${THRESHOLD_FIELDS.archiveMonths.label} : plus long que le délai de revérification (${v.staleMonths} mois).` });
  }
});
export type ThresholdsFormInput = z.infer<typeof ThresholdsFormSchema>;

// --- Audit log -----------------------------------------------------------------------------------

const emptyToUndefined = (v: string | undefined) => (v ? v : undefined);

const day = (message: string) =>
  z
    .string({ error: message })
    .max(10, message)
    .optional()
    .transform(emptyToUndefined)
    .refine((v) => v === undefined || parisDayStart(v) !== undefined, message);

export const JOURNAL_PAGE_SIZE = 50;

/** GET /admin/journal and /moderation/journal. */
export const JournalQuerySchema = z
  .object({
    region: z
      .string({ error: 'Région inconnue.' })
      .max(3, 'Région inconnue.')
      .optional()
      .transform(emptyToUndefined)
      .refine((v) => v === undefined || isRegionCode(v), 'Région inconnue.'),
    action: z
      .string({ error: 'Action invalide.' })
      .trim()
      .toLowerCase()
      .max(60, 'Action : 60 caractères au plus.')
      .regex(/^[a-z_.]*$/, 'Action : lettres minuscules sans accent, « . » et « _ » seulement (par exemple contact. ou member.role_change).')
      .optional()
      .transform(emptyToUndefined),
    acteur: z.string({ error: 'Auteur invalide.' }).trim().max(254, 'Auteur : 254 caractères au plus.').optional().transform(emptyToUndefined),
    du: day('Date de début invalide : utilisez le format AAAA-MM-JJ.'),
    au: day('Date de fin invalide : utilisez le format AAAA-MM-JJ.'),
    page: z.coerce.number({ error: 'Page invalide.' }).int('Page invalide.').min(1, 'Page invalide.').max(100_000, 'Page invalide.').default(1),
  })
  .refine((v) => !v.du || !v.au || v.du <= v.au, { path: ['au'], message: 'La date de fin précède la date de début.' });
export type JournalQuery = z.infer<typeof JournalQuerySchema>;
