/**
 * The spreadsheet upload: multipart parsed in memory (multer's memoryStorage:
 * the file never touches the disk), one file of 2 MB at most, a few small
 * fields. Over the cap, the form comes back with a French message and nothing
 * is kept.
 */
import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../core/errors';
import type { FormLocals } from '../core/validate';
import { MAX_FILE_BYTES, SPREADSHEET_MESSAGES } from './spreadsheet';

const parser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024, fieldNameSize: 32 },
}).single('fichier');

export const uploadSpreadsheet =
  (formView: string, locals: FormLocals): RequestHandler =>
  (req, res, next) => {
    // Lets the error handler re-render the upload form with the message (core/validate.ts).
    res.locals.form = { view: formView, locals, params: {} };
    parser(req, res, (err?: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const message = err.code === 'LIMIT_FILE_SIZE' ? SPREADSHEET_MESSAGES.tooLarge : SPREADSHEET_MESSAGES.unreadable;
        return next(new AppError(err.code === 'LIMIT_FILE_SIZE' ? 413 : 422, 'bad_upload', message, { fichier: message }));
      }
      next(err);
    });
  };
