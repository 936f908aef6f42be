import { createContext, useContext } from 'react';
import type { Me, Role } from '../api/client.js';

export interface Session {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in user; only used below the sign-in gate, so it throws when missing. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside a signed-in page.');
  return session;
}

const EDITING_ROLES: readonly Role[] = ['admin', 'manager', 'editor'];

/** True when the role may change statuses. */
export function canEdit(role: Role): boolean {
  return EDITING_ROLES.includes(role);
}

/** True when the role may create, change and delete customers and add their workloads (the API's minRole manager). */
export function canManageCustomers(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}

/** Roles that may read the reports; the API (`GET /api/reports/*`) answers every signed-in role. */
const REPORT_ROLES: readonly Role[] = ['admin', 'manager', 'editor', 'viewer'];

/** True when the role may read the management reports. */
export function canReadReports(role: Role): boolean {
  return REPORT_ROLES.includes(role);
}
