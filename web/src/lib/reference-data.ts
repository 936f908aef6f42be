import { useEffect, useState } from 'react';
import { api, type Partner, type Taxonomy, type Workload } from '../api/client.js';

let taxonomyPromise: Promise<Taxonomy> | undefined;
let workloadsPromise: Promise<Workload[]> | undefined;
let partnersPromise: Promise<Partner[]> | undefined;

/** The mounted users of the partners: each reads them again when {@link refreshPartners} is called. */
const partnersListeners = new Set<() => void>();

/**
 * `get`'s value for a component. With `listeners`, the component reads it again whenever one of them is
 * called, keeping what it showed until the new value arrives (and keeping it, with the error, when that fails).
 */
function useCached<T>(get: () => Promise<T>, listeners?: Set<() => void>): { data?: T; error?: Error } {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!listeners) return;
    const listener = () => setRound((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [listeners]);
  useEffect(() => {
    let alive = true;
    get().then(
      (data) => alive && setState({ data }),
      (error: unknown) => alive && setState((old) => ({ data: old.data, error: error as Error })),
    );
    return () => {
      alive = false;
    };
  }, [get, round]);
  return state;
}

function getTaxonomy(): Promise<Taxonomy> {
  taxonomyPromise ??= api.getTaxonomy().catch((e: unknown) => {
    taxonomyPromise = undefined;
    throw e;
  });
  return taxonomyPromise;
}

function getWorkloads(): Promise<Workload[]> {
  workloadsPromise ??= api.listWorkloads().catch((e: unknown) => {
    workloadsPromise = undefined;
    throw e;
  });
  return workloadsPromise;
}

function getPartners(): Promise<Partner[]> {
  partnersPromise ??= api.listPartners().then(
    (page) => page.items,
    (e: unknown) => {
      partnersPromise = undefined;
      throw e;
    },
  );
  return partnersPromise;
}

/** The playbook taxonomy, fetched once per page load. */
export const useTaxonomy = () => useCached(getTaxonomy);
/** The workload catalogue, fetched once per page load. */
export const useWorkloads = () => useCached(getWorkloads);
/** The partners the user may see, fetched once per page load. */
export const usePartners = () => useCached(getPartners, partnersListeners);

/**
 * Forgets the cached partners and reads them again (after a partner is created): every partner list and
 * choice on screen gets the new list at once, and those opened later get it too. Resolves with the list;
 * a failure leaves each list as it was (the next page to ask tries again).
 */
export function refreshPartners(): Promise<Partner[]> {
  partnersPromise = undefined;
  const next = getPartners();
  for (const listener of partnersListeners) listener();
  return next;
}

/** Forgets cached reference data (after sign-out). */
export function clearReferenceData(): void {
  taxonomyPromise = undefined;
  workloadsPromise = undefined;
  partnersPromise = undefined;
}
