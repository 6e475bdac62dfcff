export {
  renderPdf,
  wrapText,
  type PdfBlock,
  type PdfDocumentOptions,
  type PdfTableColumn,
} from './pdf-document.ts';
export type { PdfFont } from './pdf-font-metrics.ts';
export { decodeWinAnsi, encodeWinAnsi } from './pdf-win-ansi.ts';
