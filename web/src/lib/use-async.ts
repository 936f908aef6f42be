import { useCallback, useEffect, useRef, useState } from 'react';
import { settleError, settleOk, startLoad, type AsyncState, type HeldState } from './async-state.js';

export type { AsyncState } from './async-state.js';

function sameDeps(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return a !== undefined && a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Runs `load` whenever `deps` change and tracks loading/ok/error. Stale results (from an older
 * dependency set) are dropped. While a new load runs the previous data stays; when it fails, data of
 * other dependencies is dropped (see {@link settleError}). `reload()` runs it again with the same dependencies.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> & { reload: () => void } {
  const [held, setHeld] = useState<HeldState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const depsRef = useRef<unknown[]>(undefined);
  const generationRef = useRef(0);
  useEffect(() => {
    if (!sameDeps(depsRef.current, deps)) {
      depsRef.current = deps;
      generationRef.current += 1;
    }
    const generation = generationRef.current;
    const controller = new AbortController();
    setHeld(startLoad);
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setHeld(settleOk(data, generation));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setHeld((prev) => settleError(prev, error, generation));
      },
    );
    return () => controller.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const { dataFor: _dataFor, ...state } = held;
  return { ...state, reload } as AsyncState<T> & { reload: () => void };
}

/** `value` after it has stopped changing for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
