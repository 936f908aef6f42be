/**
 * A temporary file or folder the CLI made and must not leave behind: `remove` runs when the process
 * exits, and on Ctrl+C or SIGTERM (which then end the process with the shell's usual 130 or 143).
 * Returns the function that stops watching, for when the caller has removed or kept the thing itself.
 */
export function removeOnExit(remove: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', remove);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('exit', remove);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
