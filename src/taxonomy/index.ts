export { buildTaxonomy, versionOf } from './build-taxonomy.js';
export { codeIdOf } from './code-id.js';
export { findCode, findNearestCodeId, getCode, listCodes, suggestCodes } from './codes.js';
export { findKnownL1, kindOfL1Node, KNOWN_L1_BY_KIND, KNOWN_L1_KINDS, KNOWN_L1_NAMES, rankL1, type KnownL1Name, type L1Kind } from './known-l1.js';
export { resolveLabel } from './resolve-label.js';
export type { L1Node, PageHistory, PageNamePositions, Resolution, SourcePosition, Taxonomy, TaxonomyCode, TaxonomyPageInput, TaxonomyProblem } from './types.js';
