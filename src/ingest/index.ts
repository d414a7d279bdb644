export { FORMATS, BatchBuilder, type FormatName, type FormatReader, type IngestBatch, type ReadContext } from './reader.js';
export { READERS, readerFor, detectReader, knownLayouts, UnknownFormatError, type FormatChoice } from './registry.js';
export { CsvMapping, loadMapping } from './mapping.js';
export { CsvTokenizer, csvEscape, type CsvSink } from './csv.js';
export { readTextPieces, readLinePieces, isBytePiece, readHead, TEXT_ENCODINGS, type BytePiece, type TextEncodingName, type TextPiece } from './text.js';
export { streamXml, XmlRefused, child, textAt, childrenNamed, rootElement, type XmlNode } from './xml.js';
export { RejectWriter } from './rejects.js';
export { readFiles, type FileInput, type ReadFilesOptions } from './pipeline.js';
