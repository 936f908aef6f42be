import { useEffect } from 'react';

/**
 * While `active`, a reload, a closed tab or a pull-to-refresh on a phone asks the browser's own question
 * first, so unsaved edits are not lost without a word (the router asks its own for moves inside the app).
 */
export function useBeforeUnloadWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
}
