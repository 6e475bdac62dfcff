import { AppError } from '../../platform/errors/app-error.ts';
import { DETECT_HEAD_BYTES, detectFormat } from './parsers/detect.ts';
import { readTextChunks, reportSize } from './parsers/report-file.ts';
import { ReportError, type ReportFormat, type ReportParser } from './parsers/types.ts';
import { reportParsers } from './report-parsers.ts';
import { ResultMerger } from './result-merge.ts';

/** A report read and merged, ready to be written. */
export interface ReadReport {
  format: ReportFormat;
  parser: ReportParser;
  merger: ResultMerger;
}

/** Where in a report a problem is, as a person reads it. */
export function describeWhere(where: ReportError['where']): string {
  if (where === undefined) return '';
  const parts: string[] = [];
  if (where.line !== undefined) parts.push(`line ${String(where.line)}`);
  if (where.column !== undefined) parts.push(`column ${String(where.column)}`);
  if (where.path !== undefined && where.path !== '') parts.push(`at ${where.path}`);
  return parts.join(', ');
}

/** The API error for a report a parser refused: the tool's own error, or what is wrong and where. */
export function toReportProblem(error: ReportError, fileName: string, tool: string): AppError {
  if (error.isToolError) {
    return new AppError('scan.tool_error', `${tool} reported an error: ${error.message}`, [
      { path: 'file', message: error.message },
    ]);
  }
  const where = describeWhere(error.where);
  const message = where === '' ? error.message : `${where}: ${error.message}`;
  return new AppError('scan.invalid_report', `${fileName}: ${message}`, [
    { path: 'file', message },
  ]);
}

async function readHead(filePath: string): Promise<string> {
  for await (const chunk of readTextChunks(filePath, DETECT_HEAD_BYTES)) return chunk;
  return '';
}

/**
 * Decide the format of a report: detected from its first 64 KiB (and, as a hint, its name). A
 * given format wins when detection has nothing to say; when detection disagrees, the report is
 * refused naming both, since a wrong parser would import nonsense or nothing.
 */
export async function resolveFormat(
  filePath: string,
  fileName: string,
  given: ReportFormat | undefined,
): Promise<ReportFormat> {
  if ((await reportSize(filePath)) === 0 && given === undefined) {
    throw new AppError('scan.invalid_report', `${fileName}: the file is empty`, [
      { path: 'file', message: 'the file is empty' },
    ]);
  }
  let head: string;
  try {
    head = await readHead(filePath);
  } catch (error) {
    if (error instanceof ReportError) throw toReportProblem(error, fileName, given ?? 'report');
    throw error;
  }
  const detected = detectFormat(head, fileName);
  if (given !== undefined) {
    if (detected !== null && detected !== given) {
      throw new AppError(
        'scan.format_mismatch',
        `${fileName} looks like ${detected}, not ${given}; import it as ${detected} or leave the format out`,
        [{ path: 'format', message: `the file looks like ${detected}, not ${given}` }],
      );
    }
    return given;
  }
  if (detected === null) {
    throw new AppError(
      'scan.format_unknown',
      `${fileName}: the format could not be recognised from its content; give one of the supported formats in format`,
      [{ path: 'format', message: 'give the report format' }],
    );
  }
  return detected;
}

/**
 * Read a report from disk into `merger`: stream-parse it with the parser of its format and merge
 * its results by identity. After each result `flow` may return a promise (the merger's sink
 * catching up), which is awaited before reading on. Any problem of the report becomes a client
 * error naming it and its position.
 */
export async function readReport(
  filePath: string,
  fileName: string,
  format: ReportFormat,
  merger: ResultMerger,
  flow?: () => Promise<void> | undefined,
): Promise<ReadReport> {
  const parser = reportParsers[format];
  try {
    for await (const result of parser.parse(filePath)) {
      merger.add(result);
      const waiting = flow?.();
      if (waiting !== undefined) await waiting;
    }
  } catch (error) {
    if (error instanceof ReportError) throw toReportProblem(error, fileName, parser.tool);
    throw error;
  }
  return { format, parser, merger };
}
