import { AppError } from '../errors/app-error.ts';

/**
 * The one file uploaded as `file`; none, or several, is a bad request naming that field.
 * `what` names the file in the message ("file", "CSV file").
 */
export function takeOneFile<F extends { field: string }>(files: readonly F[], what = 'file'): F {
  const found = files.filter((f) => f.field === 'file');
  const [file] = found;
  if (!file || found.length > 1) {
    throw new AppError('request.invalid', `Attach one ${what} as \`file\``, [
      { path: 'file', message: `Attach one ${what}` },
    ]);
  }
  return file;
}
