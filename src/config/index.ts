export { defaultClassifierWorkers, loadConfig, resolveDataDir, type Config } from './load-config.js';
