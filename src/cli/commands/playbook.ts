import { defineCommand } from 'citty';
import { AppError } from '../../lib/index.js';

export default defineCommand({
  meta: { name: 'playbook', description: 'Not built yet.' },
  run() {
    throw new AppError('BAD_ARGUMENTS', '`unblock playbook` is not available in this build yet.');
  },
});
