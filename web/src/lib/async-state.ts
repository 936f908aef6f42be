/** What useAsync (use-async.ts) keeps about one load, as pure functions (tested without a browser). */
export type AsyncState<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ok'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: Error };

/** The state as the hook keeps it: `dataFor` is the dependency set (its generation) the data was loaded for. */
export type HeldState<T> = AsyncState<T> & { dataFor?: number };

/** A load starts: the previous data stays on screen (a page may dim it) until the answer comes. */
export function startLoad<T>(prev: HeldState<T>): HeldState<T> {
  return { status: 'loading', data: prev.data, dataFor: prev.dataFor };
}

/** A load for the dependency set `generation` answered. */
export function settleOk<T>(data: T, generation: number): HeldState<T> {
  return { status: 'ok', data, dataFor: generation };
}

/**
 * A load for the dependency set `generation` failed: the data stays only when it was loaded for the
 * same dependencies (a failed reload). Data of other dependencies (another id, other filters) would
 * show the previous thing under the new address, so it goes.
 */
export function settleError<T>(prev: HeldState<T>, error: unknown, generation: number): HeldState<T> {
  const err = error instanceof Error ? error : new Error(String(error));
  return prev.dataFor === generation ? { status: 'error', data: prev.data, error: err, dataFor: generation } : { status: 'error', error: err };
}
