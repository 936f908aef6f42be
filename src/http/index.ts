export { buildApp, type BuildAppOptions } from './build-app.js';
export { serverLogging, toAppError } from './errors.js';
