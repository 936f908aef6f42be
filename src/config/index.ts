export { CONFIG_VARIABLES, defaultClassifierWorkers, loadConfig, resolveDataDir, type Config } from './load-config.js';
