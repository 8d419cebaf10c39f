/** The French texts of moderation e-mails. */
import { link } from '../mail/mailer';

export const moderationMails = {
  contactPublished: (firstName: string, label: string, id: string) => ({
    subject: 'Votre contact est publié – Ligne directe',
    text: `Bonjour ${firstName},\n\nMerci ! « ${label} » a été vérifié par la modération et il est maintenant visible par vos collègues :\n${link(`/contacts/${id}`)}`,
  }),
  contactRejected: (firstName: string, label: string, reason: string, message?: string) => ({
    subject: 'Votre contact n’a pas été retenu – Ligne directe',
    text: `Bonjour ${firstName},\n\nLa modération n’a pas retenu « ${label} », pour le motif suivant :\n« ${reason} »${message ? `\n\nMessage de la modération : ${message}` : ''}`,
  }),
  changesRequested: (firstName: string, label: string, id: string, message: string) => ({
    subject: 'Votre contact est à compléter – Ligne directe',
    text: `Bonjour ${firstName},\n\nLa modération vous demande de compléter « ${label} » avant de le publier :\n\n« ${message} »\n\nModifiez-le ici, il repartira en vérification : ${link(`/contacts/${id}/modifier`)}`,
  }),
  editDecided: (firstName: string, label: string, approved: boolean, reason?: string) => ({
    subject: approved ? 'Votre proposition de modification est appliquée – Ligne directe' : 'Votre proposition de modification n’a pas été retenue – Ligne directe',
    text: approved
      ? `Bonjour ${firstName},\n\nMerci ! Votre proposition sur « ${label} » a été vérifiée et appliquée.`
      : `Bonjour ${firstName},\n\nVotre proposition sur « ${label} » n’a pas été retenue${reason ? ` : « ${reason} »` : '.'}`,
  }),
  reportOutcome: (firstName: string, label: string, outcome: string) => ({
    subject: 'Suite de votre signalement – Ligne directe',
    text: `Bonjour ${firstName},\n\nMerci pour votre signalement sur « ${label} ». La modération l’a examiné : ${outcome}`,
  }),
  agentInformation: (agencyName: string) => ({
    subject: 'Vos coordonnées professionnelles figurent dans l’annuaire Ligne directe',
    text: [
      'Bonjour,',
      '',
      `Vos coordonnées professionnelles (nom, fonction, ligne et adresse professionnelles) au sein de « ${agencyName} » ont été ajoutées à Ligne directe, l’annuaire associatif des interlocuteurs des administrations, tenu par une association de professionnel·les de l’action sociale et modéré par ses membres.`,
      '',
      'Pourquoi : permettre aux travailleurs sociaux de joindre le bon service quand une situation est bloquée, dans l’intérêt des personnes accompagnées (intérêt légitime, article 6.1.f du RGPD).',
      'Qui peut les voir : uniquement des professionnel·les de l’action sociale dont l’accès a été vérifié. L’annuaire n’est pas public et n’est pas indexé par les moteurs de recherche.',
      'Combien de temps : tant que la ligne est utile ; une fiche qui n’est plus vérifiée depuis 24 mois est archivée puis supprimée.',
      'Aucune note ni évaluation ne porte sur votre personne : les collègues indiquent seulement si la ligne fonctionne.',
      '',
      `Vos droits : vous pouvez vous opposer à tout moment à la présence de votre nom et de votre ligne directe, sans avoir à vous justifier. Votre demande est appliquée immédiatement : ${link('/opposition')}`,
      'Vous pouvez aussi demander l’accès à vos données, leur rectification ou leur effacement en répondant à la modération par l’association.',
    ].join('\n'),
  }),
  objectionLink: (token: string) => ({
    subject: 'Confirmez votre opposition – Ligne directe',
    text: `Bonjour,\n\nVous avez demandé le retrait de vos coordonnées de l’annuaire Ligne directe. Pour confirmer, ouvrez ce lien (valable 48 heures) puis validez :\n\n${link(`/opposition/confirmer/${token}`)}\n\nDès la confirmation, votre nom et votre ligne directe ne seront plus visibles par personne.\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.`,
  }),
  digest: (firstName: string, lines: string[], overdue: number) => ({
    subject: `${lines.length ? 'Modération : des éléments attendent' : 'Modération'} – Ligne directe`,
    text: `Bonjour ${firstName},\n\nVoici ce qui attend la modération de vos régions :\n\n${lines.join('\n')}\n${overdue ? `\n${overdue} élément${overdue > 1 ? 's' : ''} attend${overdue > 1 ? 'ent' : ''} depuis plus de 7 jours.\n` : ''}\nFile de modération : ${link('/moderation/file')}`,
  }),
  escalation: (count: number, regions: string) => ({
    subject: `${count} élément${count > 1 ? 's' : ''} de modération en retard depuis plus de 14 jours`,
    text: `Bonjour,\n\nCes éléments attendent depuis plus de 14 jours (régions : ${regions}). Rien n’est refusé automatiquement : merci de les prendre en charge ou de relancer la modération régionale.\n\n${link('/moderation/file?retard=1')}`,
  }),
};
