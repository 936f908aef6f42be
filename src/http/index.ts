export { buildApp, type BuildAppOptions } from './build-app.js';
export { listenQuietly, serverLogging, toAppError } from './errors.js';
