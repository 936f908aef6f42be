export { AppError, ERROR_CATALOGUE, isAppError, type ErrorCode } from './errors.js';
export { slugify, normalizeLabel, formatPercent, nameKey, postgresUrl, redactUrl, joinWords, compareCodePoints } from './text.js';
export { createRandom } from './random.js';
export { CsvReader, CsvSyntaxError, describeCsvSyntax, type CsvReaderOptions, type CsvSyntaxCode } from './csv.js';
export { fnv1a } from './hash.js';
export { packedFileKind } from './file-kind.js';
export { describeJsonSyntax } from './json-syntax.js';
export { EXPORT_COLUMNS, IMPORT_COLUMNS, IGNORED_COLUMNS, isExportHeader, isKnownColumn, normalizeHeader, otherSeparator, refusedSeparator, type ImportColumn } from './import-header.js';
