export { buildApp, type BuildAppOptions } from './build-app.js';
export { toAppError } from './errors.js';
