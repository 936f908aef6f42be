import { defineCommand } from 'citty';
import { AppError } from '../../lib/index.js';

export default defineCommand({
  meta: { name: 'admin', description: 'Not built yet.' },
  run() {
    throw new AppError('BAD_ARGUMENTS', '`unblock admin` is not available in this build yet.');
  },
});
