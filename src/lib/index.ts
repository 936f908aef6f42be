export { AppError, ERROR_CATALOGUE, isAppError, type ErrorCode } from './errors.js';
export { slugify, normalizeLabel } from './text.js';
export { createRandom } from './random.js';
