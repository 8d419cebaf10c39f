/** The French texts of moderation e-mails. */
import { link } from '../mail/mailer';
import { OVERDUE_DAYS } from '../inbox/queue';

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
  objectionLink: (token: string) => ({
    subject: 'Confirmez votre opposition – Ligne directe',
    text: `Bonjour,\n\nVous avez demandé le retrait de vos coordonnées de l’annuaire Ligne directe. Pour confirmer, ouvrez ce lien (valable 48 heures) puis validez :\n\n${link(`/opposition/confirmer/${token}`)}\n\nDès la confirmation, votre nom et votre ligne directe ne seront plus visibles par personne.\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.`,
  }),
  digest: (firstName: string, lines: string[], overdue: number) => ({
    subject: `${lines.length ? 'Modération : des éléments attendent' : 'Modération'} – Ligne directe`,
    text: `Bonjour ${firstName},\n\nVoici ce qui attend la modération de vos régions :\n\n${lines.join('\n')}\n${overdue ? `\n${overdue} élément${overdue > 1 ? 's' : ''} attend${overdue > 1 ? 'ent' : ''} depuis plus de ${OVERDUE_DAYS} jours.\n` : ''}\nFile de modération : ${link('/moderation/file')}`,
  }),
  escalation: (count: number, regions: string) => ({
    subject: `${count} élément${count > 1 ? 's' : ''} de modération en retard depuis plus de 14 jours`,
    text: `Bonjour,\n\nCes éléments attendent depuis plus de 14 jours (régions : ${regions}). Rien n’est refusé automatiquement : merci de les prendre en charge ou de relancer la modération régionale.\n\n${link('/moderation/file?retard=1')}`,
  }),
};
