/**
 * The users' "password set by someone else" flag in the tracker, on both engines: a manager or admin who
 * chooses a password (creating the user, or setting it) sets it; the system actor (CLI, demo seed) does
 * not, unless asked; changing your own password clears it; the actor of a sign-in, a session and a token
 * carries it, so the HTTP layer can hold the session back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  SYSTEM_ACTOR, authenticatePassword, changeOwnPassword, createPartner, createSession, createToken, createUser, findActorByUserId, listUsers, resolveSession, resolveToken, setUserPassword,
  type Actor, type TrackerContext,
} from '../../src/tracker/index.js';
import { createTestDb, ENGINES, expectCode, fixedClock, makeTaxonomy } from '../factories.js';

describe.each(ENGINES)('the password-change flag on %s', (engine) => {
  let db: Db;
  let ctx: TrackerContext;
  let partnerId: number;
  let manager: Actor;
  let admin: Actor;

  beforeAll(async () => {
    db = await createTestDb(engine);
    const taxonomy = makeTaxonomy();
    ctx = { db, taxonomy: () => taxonomy, clock: fixedClock(), advisor: {} };
    partnerId = (await createPartner(ctx, SYSTEM_ACTOR, { name: 'Northwind Partners' })).id;
    const m = await createUser(ctx, SYSTEM_ACTOR, { email: 'manager@nw.test', name: 'Manager', role: 'manager', partnerId, password: 'manager-own-1' });
    const a = await createUser(ctx, SYSTEM_ACTOR, { email: 'admin@nw.test', name: 'Admin', role: 'admin', partnerId: null, password: 'admin-own-1' });
    expect([m.mustChangePassword, a.mustChangePassword]).toEqual([false, false]);
    manager = { userId: m.id, name: m.name, role: 'manager', partnerId };
    admin = { userId: a.id, name: a.name, role: 'admin', partnerId: null };
  });
  afterAll(async () => {
    await db.close();
  });

  const flagOf = async (id: number) => (await listUsers(ctx, SYSTEM_ACTOR)).find((u) => u.id === id)!.mustChangePassword;

  it('is set when a manager or admin creates a user with a password, and not by the system actor unless asked', async () => {
    const byManager = await createUser(ctx, manager, { email: 'm1@nw.test', name: 'M1', role: 'viewer', password: 'chosen-by-m-1' });
    const byAdmin = await createUser(ctx, admin, { email: 'a1@nw.test', name: 'A1', role: 'editor', partnerId, password: 'chosen-by-a-1', mustChangePassword: false });
    const bySystem = await createUser(ctx, SYSTEM_ACTOR, { email: 's1@nw.test', name: 'S1', role: 'editor', partnerId, password: 'chosen-by-s-1' });
    const asked = await createUser(ctx, SYSTEM_ACTOR, { email: 's2@nw.test', name: 'S2', role: 'editor', partnerId, password: 'chosen-by-s-2', mustChangePassword: true });
    // No password, nothing to change (such a user cannot sign in until one is set).
    const none = await createUser(ctx, manager, { email: 'n1@nw.test', name: 'N1', role: 'viewer' });
    expect([byManager, byAdmin, bySystem, asked, none].map((u) => u.mustChangePassword)).toEqual([true, true, false, true, false]);
    expect(await flagOf(byManager.id)).toBe(true);
    expect(await flagOf(bySystem.id)).toBe(false);
  });

  it('is set by setUserPassword for a manager or admin, by the system actor only when asked, and cleared by changeOwnPassword', async () => {
    const user = await createUser(ctx, SYSTEM_ACTOR, { email: 'u1@nw.test', name: 'U1', role: 'editor', partnerId, password: 'own-from-start' });
    expect((await setUserPassword(ctx, manager, user.id, 'set-by-manager-1')).mustChangePassword).toBe(true);
    expect(await flagOf(user.id)).toBe(true);
    expect((await setUserPassword(ctx, SYSTEM_ACTOR, user.id, 'set-by-cli-1')).mustChangePassword).toBe(false);
    expect(await flagOf(user.id)).toBe(false);
    expect((await setUserPassword(ctx, SYSTEM_ACTOR, user.id, 'set-by-cli-2', { mustChangePassword: true })).mustChangePassword).toBe(true);
    expect((await setUserPassword(ctx, admin, user.id, 'set-by-admin-1', { mustChangePassword: false })).mustChangePassword).toBe(true);

    // Sign-in, session and token actors carry the flag.
    const signedIn = await authenticatePassword(ctx, 'u1@nw.test', 'set-by-admin-1');
    expect(signedIn?.mustChangePassword).toBe(true);
    const session = await createSession(ctx, user.id);
    expect((await resolveSession(ctx, session.secret))?.mustChangePassword).toBe(true);
    const { token } = await createToken(ctx, SYSTEM_ACTOR, { name: 'cli', userId: user.id });
    expect((await resolveToken(ctx, token))?.mustChangePassword).toBe(true);
    expect((await findActorByUserId(ctx, user.id))?.mustChangePassword).toBe(true);

    // The given password again is no change: refused, and the flag stays.
    const err = await expectCode(changeOwnPassword(ctx, signedIn!, { currentPassword: 'set-by-admin-1', newPassword: 'set-by-admin-1' }), 'VALIDATION_FAILED');
    expect(err.details).toEqual([{ where: 'body', path: '/newPassword', message: 'must differ from the current password' }]);
    await expectCode(changeOwnPassword(ctx, signedIn!, { currentPassword: 'wrong-one-here', newPassword: 'own-choice-1' }), 'FORBIDDEN');
    expect(await flagOf(user.id)).toBe(true);

    await changeOwnPassword(ctx, signedIn!, { currentPassword: 'set-by-admin-1', newPassword: 'own-choice-1' }, session.secret);
    expect(await flagOf(user.id)).toBe(false);
    const after = await resolveSession(ctx, session.secret);
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('mustChangePassword');
    expect((await authenticatePassword(ctx, 'u1@nw.test', 'own-choice-1'))?.mustChangePassword).toBeUndefined();
  });
});
