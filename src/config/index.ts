export { defaultClassifierWorkers, loadConfig, type Config } from './load-config.js';
