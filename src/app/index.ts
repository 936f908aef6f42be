/** The composition root's public API: loads playbook, model and database once for the CLI and the server. */
export {
  assembleServices,
  checkStoredCodes,
  createAdvisor,
  createNoteCoachPort,
  createServices,
  loadTaxonomy,
  systemClock,
  type ClassificationLike,
  type ClassifierPort,
  type GradeLike,
  type ModelClassifierPort,
  type NoteCoachPort,
  type ServiceParts,
  type Services,
} from './services.js';
export { createClassifierPort, startClassifierWorkers } from './classifier-port.js';
export { BUILTIN_PLAYBOOK_DIR, loadBuiltinPlaybook, loadPlaybook, readPlaybookSources, writeBuiltinPlaybookCache } from './playbook-source.js';
export { findFreshBuiltinModel, findPackageRoot, getAssetsDir, loadClassifier, loadClassifierModel, loadModel, loadVectors, readModelFile, modelFileText, type LoadModelOptions } from './model-store.js';
export { DEMO_ADMIN_EMAIL, seedDemoData, type DemoLogin, type SeedResult } from './demo-seed.js';
