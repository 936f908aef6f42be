import { defineCommand } from 'citty';
import { AppError } from '../../lib/index.js';

export default defineCommand({
  meta: { name: 'eval', description: 'Not built yet.' },
  run() {
    throw new AppError('BAD_ARGUMENTS', '`unblock eval` is not available in this build yet.');
  },
});
