/** Thin adapters for the spreadsheet import pages. */
import type { Request, RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { inputOf, renderForm } from '../core/validate';
import * as imports from './imports.service';
import { ConfirmImportSchema, DraftParamsSchema, ImportSettingsSchema } from './imports.schemas';
import { presentPreview, presentProgress, presentResult, uploadHelp } from './imports.presenter';

const idOf = (req: Request) => inputOf(req, DraftParamsSchema).id;

export const uploadLocals = () => ({ title: 'Importer un tableur', help: uploadHelp });

export const showUpload: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'imports/upload', { locals: uploadLocals });
};

export const upload: RequestHandler = async (req, res) => {
  const informed = (req.body as { agentInformed?: unknown } | undefined)?.agentInformed;
  const id = await imports.createDraft(requireActor(req), req.file, { agentInformed: informed === 'consent' || informed === 'will_inform' ? informed : undefined });
  res.redirect(303, `/contacts/import/${id}`);
};

/** One address for the whole import: the preview while it waits, the progress while it is written, then the result. */
export const show: RequestHandler = async (req, res) => {
  const data = await imports.getDraft(requireActor(req), idOf(req));
  if (data.draft.status === 'ready') return res.render('imports/preview', { title: 'Importer un tableur : aperçu', ...presentPreview(data) });
  if (data.draft.status === 'confirming')
    return res.render('imports/progress', { title: 'Import en cours', refreshSeconds: 3, ...presentProgress(data.draft) });
  const result = presentResult(data.draft);
  res.render('imports/result', { title: 'Import terminé', ...result });
};

export const saveSettings: RequestHandler = async (req, res) => {
  await imports.updateSettings(requireActor(req), idOf(req), inputOf(req, ImportSettingsSchema));
  res.redirect(303, `/contacts/import/${idOf(req)}#apercu`);
};

export const confirm: RequestHandler = async (req, res) => {
  await imports.confirmImport(requireActor(req), idOf(req), inputOf(req, ConfirmImportSchema).version);
  if (req.accepts(['html', 'json']) === 'json') return res.json(await imports.getProgress(requireActor(req), idOf(req)));
  res.redirect(303, `/contacts/import/${idOf(req)}`);
};

/** The progress bar's figures (JSON), read by public/js/app.js. */
export const progress: RequestHandler = async (req, res) => {
  res.set('Cache-Control', 'no-store').json(await imports.getProgress(requireActor(req), idOf(req)));
};
