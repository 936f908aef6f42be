/** Health, login/logout, me, partners, users and tokens. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/index.js';
import {
  authenticatePassword, changeOwnPassword, createPartner, createSession, createToken, createUser, deleteSession, findOwnEmail, generatePassword, updateUser, listPartners, listTokens, listUsers,
  resolveSession, revokeToken, setUserPassword, type Actor,
} from '../../tracker/index.js';
import { DEMO_ADMIN_EMAIL, type Services } from '../../app/index.js';
import { actorOf, checkSessionUser, isSecureRequest, readSessionCookie, SESSION_COOKIE } from '../auth.js';
import { createdToken, createdUser, loginBody, me, type Me, newPartner, newToken, newUser, partner, passwordChange, passwordReset, token, user, userChanges } from '../schemas/accounts.js';
import { createLoginThrottle } from '../login-throttle.js';
import { errorBody, idParam } from '../schemas/common.js';


export function accountRoutes(services: Services): FastifyPluginAsyncZod {
  /** The signed-in user as GET /api/me and the sign-in answer show them. */
  const describeMe = async (a: Actor): Promise<Me> => ({
    id: a.userId, name: a.name, email: await findOwnEmail(services.tracker, a), role: a.role, partnerId: a.partnerId, mustChangePassword: a.mustChangePassword === true,
  });
  return async (app) => {
    const throttle = createLoginThrottle(services.db.kysely);
    app.get('/api/health', {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: {
          200: z.object({
            ok: z.boolean(),
            engine: z.string(),
            taxonomyVersion: z.string(),
            classifier: z.boolean(),
            noteCoach: z.boolean(),
            demoData: z.boolean().describe('True when the database holds the demo data of `serve --demo` (`npm start`), whose logins it prints; the sign-in page then points to them'),
          }),
        },
      },
    }, async () => {
      // One query checks the database and whether it holds the demo data.
      const demoAdmin = await services.db.kysely.selectFrom('users').select('id').where('email', '=', DEMO_ADMIN_EMAIL).limit(1).executeTakeFirst();
      return { ok: true, engine: services.db.engine, taxonomyVersion: services.taxonomy().version, classifier: services.classifier !== null, noteCoach: services.noteCoach !== null, demoData: demoAdmin !== undefined };
    });

    app.post('/api/auth/login', {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        description: 'After 10 failed sign-ins for one email (or 30 from one address) within 15 minutes, sign-ins answer 429 RATE_LIMITED with Retry-After until the oldest failure is 15 minutes old; a successful sign-in clears the email\'s count.',
        body: loginBody,
        response: { 200: z.object({ user: me }), 401: errorBody, 429: errorBody },
      },
    }, async (request, reply) => {
      const { email, password } = request.body;
      await throttle.check(email, request.ip);
      const actor = await authenticatePassword(services.tracker, email, password);
      if (!actor || actor.userId === null) {
        await throttle.fail(email, request.ip);
        throw new AppError('UNAUTHENTICATED', 'Email or password is wrong.');
      }
      await throttle.succeed(email, request.ip);
      const session = await createSession(services.tracker, actor.userId);
      reply.setCookie(SESSION_COOKIE, session.secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecureRequest(services, request), signed: true, expires: session.expiresAt });
      return { user: await describeMe(actor) };
    });

    app.post('/api/auth/logout', {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
    }, async (request, reply) => {
      const secret = readSessionCookie(request);
      if (secret) {
        // A tab signing out after another tab signed in as someone else would end that user's session:
        // refused (and the cookie kept) when the request names another user than the session's.
        // A session that no longer resolves (its user disabled, say) is simply ended.
        const actor = await resolveSession(services.tracker, secret).catch(() => undefined);
        if (actor) checkSessionUser(actor, request);
        await deleteSession(services.tracker, secret);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    });

    app.get('/api/me', {
      schema: {
        tags: ['auth'],
        summary: 'Who am I',
        description: 'mustChangePassword true: your password was chosen by a manager or an admin; choose your own with PUT /api/me/password before anything else (other requests of your login session answer 403 PASSWORD_CHANGE_REQUIRED).',
        response: { 200: me },
      },
    }, async (request) => describeMe(actorOf(request)));

    app.get('/api/partners', { schema: { tags: ['accounts'], summary: 'Partners you can see', response: { 200: z.object({ items: z.array(partner) }) } } }, async (request) => ({
      items: await listPartners(services.tracker, actorOf(request)),
    }));
    app.post('/api/partners', { config: { minRole: 'admin' }, schema: { tags: ['accounts'], summary: 'Create a partner (admin)', body: newPartner, response: { 201: partner, 403: errorBody, 409: errorBody } } }, async (request, reply) =>
      reply.status(201).send(await createPartner(services.tracker, actorOf(request), request.body)),
    );

    app.get('/api/users', { schema: { tags: ['accounts'], summary: 'Users you can see', response: { 200: z.object({ items: z.array(user) }) } } }, async (request) => ({
      items: await listUsers(services.tracker, actorOf(request)),
    }));
    app.post('/api/users', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['accounts'],
        summary: 'Create a user (manager: own partner; admin: any)',
        description: 'Without a password one is generated and returned once, as `password` in this response. Either way the user must change it at their first sign-in (mustChangePassword: true until they do).',
        body: newUser,
        // 404: an admin naming a partner that does not exist (partnerId).
        response: { 201: createdUser, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    }, async (request, reply) => {
      const generated = request.body.password === undefined ? generatePassword() : undefined;
      const created = await createUser(services.tracker, actorOf(request), { ...request.body, password: request.body.password ?? generated });
      return reply.status(201).send(generated === undefined ? created : { ...created, password: generated });
    });

    app.put('/api/users/:id/password', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['accounts'],
        summary: "Set another user's password (manager: own partner; admin: any)",
        description: "Ends that user's sessions; they must change the password at their next sign-in (mustChangePassword: true until they do). Your own password is changed with PUT /api/me/password.",
        params: idParam,
        body: passwordReset,
        response: { 204: z.null(), 403: errorBody, 404: errorBody },
      },
    }, async (request, reply) => {
      await setUserPassword(services.tracker, actorOf(request), request.params.id, request.body.password);
      return reply.status(204).send(null);
    });

    app.put('/api/me/password', {
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (send the current one)',
        description: 'Ends your other sessions; the one making the change stays signed in. The new password must differ from the current one (400 VALIDATION_FAILED at /newPassword); it is then your own: mustChangePassword turns false. A wrong current password answers 403; after 10 of them within 15 minutes (or 30 failures from one address, sign-ins included) the endpoint answers 429 RATE_LIMITED with Retry-After, as sign-in does.',
        body: passwordChange,
        response: { 204: z.null(), 403: errorBody, 429: errorBody },
      },
    }, async (request, reply) => {
      const actor = actorOf(request);
      if (actor.userId !== null) await throttle.checkUser(actor.userId, request.ip);
      try {
        await changeOwnPassword(services.tracker, actor, request.body, readSessionCookie(request));
      } catch (error) {
        // FORBIDDEN for a user is a wrong current password: a guess, counted like a failed sign-in.
        if (actor.userId !== null && error instanceof AppError && error.code === 'FORBIDDEN') await throttle.failUser(actor.userId, request.ip);
        throw error;
      }
      if (actor.userId !== null) await throttle.succeedUser(actor.userId);
      return reply.status(204).send(null);
    });

    app.patch('/api/users/:id', {
      config: { minRole: 'manager' },
      schema: {
        tags: ['accounts'],
        summary: 'Change a user: name, role, disabled (manager: own partner; admin: any)',
        description: 'Disabling ends the user\'s sessions at once; their API tokens and logins then answer 401 ACCOUNT_DISABLED until they are enabled again.',
        params: idParam,
        body: userChanges,
        response: { 200: user, 403: errorBody, 404: errorBody },
      },
    }, async (request) => updateUser(services.tracker, actorOf(request), request.params.id, request.body));

    app.get('/api/tokens', { schema: { tags: ['accounts'], summary: 'Your API tokens (never the secrets)', response: { 200: z.object({ items: z.array(token) }) } } }, async (request) => ({
      items: await listTokens(services.tracker, actorOf(request)),
    }));
    app.post('/api/tokens', { config: { errorsSay: { 403: 'FORBIDDEN: anyone but an admin naming another user (userId)', 409: 'TOKEN_NAME_TAKEN: one of the user\'s active tokens has that name' } }, schema: { tags: ['accounts'], summary: 'Issue an API token; the secret is shown once',
      description: 'expiresInDays defaults to 90; null never expires. Admins may name another user (userId). A token issued with an API token (not from a login session) is bound to it: it expires no later (without expiresInDays it expires with it; a longer life answers 400 VALIDATION_FAILED at /expiresInDays, whose details entry also gives maxDays and parentExpiresAt) and is revoked with it. Revoking a token revokes every token issued with it. A name one of the user\'s active tokens already has (ignoring case and surrounding spaces) answers 409 TOKEN_NAME_TAKEN with details {field: "name", reason: "TOKEN_NAME_TAKEN", tokenId}. While your password is one a manager or admin chose (mustChangePassword), you cannot issue yourself a token: 403 PASSWORD_CHANGE_REQUIRED, with a login session or a token. Anyone but an admin naming another user (userId) gets 403 FORBIDDEN.',
      body: newToken, response: { 201: createdToken, 404: errorBody, 409: errorBody } } }, async (request, reply) =>
      reply.status(201).send(await createToken(services.tracker, actorOf(request), request.body)),
    );
    app.delete('/api/tokens/:id', {
      config: { errorsSay: { 403: 'FORBIDDEN: a token issued with another token revoking one outside its own line' } },
      schema: {
        tags: ['accounts'],
        summary: 'Revoke a token',
        description:
          'Revokes one of your tokens (admins: anyone\'s) and every token issued with it, generation by generation; answers the token as it now is (a revoked one answers as it was revoked). ' +
          'A request made with a token that was issued with another token may revoke only that token and the tokens issued with it: any other answers 403 FORBIDDEN. Another user\'s token answers 404.',
        params: idParam,
        response: { 200: token, 404: errorBody },
      },
    }, async (request) =>
      revokeToken(services.tracker, actorOf(request), request.params.id),
    );
  };
}
