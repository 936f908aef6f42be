import { AppError } from '../lib/index.js';
import type { Role } from '../db/index.js';
import type { Actor, Scope } from './types.js';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, manager: 2, admin: 3 };

/** The tenancy scope of an actor: admins see all partners, everyone else their own. */
export function scopeOf(actor: Actor): Scope {
  if (actor.role === 'admin') return { kind: 'all' };
  if (actor.partnerId === null) throw new AppError('FORBIDDEN', 'This account belongs to no partner; ask an admin to assign one.');
  return { kind: 'partner', partnerId: actor.partnerId };
}

/** Throws FORBIDDEN unless the actor's role is `role` or higher (viewer < editor < manager < admin). */
export function requireRole(actor: Actor, role: Role): void {
  if (RANK[actor.role] < RANK[role]) throw new AppError('FORBIDDEN', `This needs the ${role} role or higher; you are ${actor.role}.`);
}

/** True when the actor's role is at least `role`. */
export function hasRole(actor: Actor, role: Role): boolean {
  return RANK[actor.role] >= RANK[role];
}

/** The system actor for the CLI and the demo seed: an admin with no user row. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: null, name: 'system', role: 'admin', partnerId: null });

/** The partner id a write lands in: the actor's own, or for admins the one they name (required). */
export function resolveWritePartner(actor: Actor, requested: number | undefined): number {
  if (actor.role === 'admin') {
    if (requested === undefined) throw new AppError('VALIDATION_FAILED', 'Admins must name the partner (partnerId).', [{ where: 'body', path: '/partnerId', message: 'is required for admins: name the partner it belongs to' }]);
    return requested;
  }
  if (actor.partnerId === null) throw new AppError('FORBIDDEN', 'This account belongs to no partner.');
  if (requested !== undefined && requested !== actor.partnerId) throw new AppError('FORBIDDEN', 'You can only write to your own partner.');
  return actor.partnerId;
}
