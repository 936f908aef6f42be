/** What the CLI says while it trains a model it has no cached copy of. */
export function trainingNotice(): void {
  process.stderr.write('unblock: training the classifier for this page set (up to a minute; cached under DATA_DIR afterwards)...\n');
}
