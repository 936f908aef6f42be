import { defineCommand } from 'citty';
import { AppError } from '../../lib/index.js';

export default defineCommand({
  meta: { name: 'serve', description: 'Not built yet.' },
  run() {
    throw new AppError('BAD_ARGUMENTS', '`unblock serve` is not available in this build yet.');
  },
});
