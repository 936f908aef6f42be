import { useEffect, useState } from 'react';
import { api, type Partner, type Taxonomy, type Workload } from '../api/client.js';

let taxonomyPromise: Promise<Taxonomy> | undefined;
let workloadsPromise: Promise<Workload[]> | undefined;
let partnersPromise: Promise<Partner[]> | undefined;

function useCached<T>(get: () => Promise<T>): { data?: T; error?: Error } {
  const [state, setState] = useState<{ data?: T; error?: Error }>({});
  useEffect(() => {
    let alive = true;
    get().then(
      (data) => alive && setState({ data }),
      (error: unknown) => alive && setState({ error: error as Error }),
    );
    return () => {
      alive = false;
    };
  }, [get]);
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
export const usePartners = () => useCached(getPartners);

/** Forgets cached reference data (after sign-out). */
export function clearReferenceData(): void {
  taxonomyPromise = undefined;
  workloadsPromise = undefined;
  partnersPromise = undefined;
}
