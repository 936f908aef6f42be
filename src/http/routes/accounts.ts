/** Health, login/logout, me, partners, users and tokens. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/index.js';
import {
  authenticatePassword, createPartner, createSession, createToken, createUser, deleteSession, updateUser, listPartners, listTokens, listUsers, revokeToken,
} from '../../tracker/index.js';
import type { Services } from '../../app/index.js';
import { actorOf, isSecureRequest, readSessionCookie, SESSION_COOKIE } from '../auth.js';
import { createdToken, loginBody, me, newPartner, newToken, newUser, partner, token, user, userChanges } from '../schemas/accounts.js';
import { errorBody, idParam } from '../schemas/common.js';

export function accountRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/health', {
      config: { public: true },
      schema: { tags: ['system'], summary: 'Liveness and database check', response: { 200: z.object({ ok: z.boolean(), engine: z.string(), taxonomyVersion: z.string(), classifier: z.boolean(), noteCoach: z.boolean() }) } },
    }, async () => {
      await services.db.kysely.selectFrom('workloads').select('id').limit(1).execute();
      return { ok: true, engine: services.db.engine, taxonomyVersion: services.taxonomy().version, classifier: services.classifier !== null, noteCoach: services.noteCoach !== null };
    });

    app.post('/api/auth/login', {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign in with email and password; sets the session cookie', body: loginBody, response: { 200: z.object({ user: me }), 401: errorBody } },
    }, async (request, reply) => {
      const actor = await authenticatePassword(services.tracker, request.body.email, request.body.password);
      if (!actor || actor.userId === null) throw new AppError('UNAUTHENTICATED', 'Email or password is wrong.');
      const session = await createSession(services.tracker, actor.userId);
      reply.setCookie(SESSION_COOKIE, session.secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecureRequest(services, request), signed: true, expires: session.expiresAt });
      return { user: { id: actor.userId, name: actor.name, role: actor.role, partnerId: actor.partnerId } };
    });

    app.post('/api/auth/logout', {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
    }, async (request, reply) => {
      const secret = readSessionCookie(request);
      if (secret) await deleteSession(services.tracker, secret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    });

    app.get('/api/me', { schema: { tags: ['auth'], summary: 'Who am I', response: { 200: me } } }, async (request) => {
      const a = actorOf(request);
      return { id: a.userId, name: a.name, role: a.role, partnerId: a.partnerId };
    });

    app.get('/api/partners', { schema: { tags: ['accounts'], summary: 'Partners you can see', response: { 200: z.object({ items: z.array(partner) }) } } }, async (request) => ({
      items: await listPartners(services.tracker, actorOf(request)),
    }));
    app.post('/api/partners', { schema: { tags: ['accounts'], summary: 'Create a partner (admin)', body: newPartner, response: { 201: partner } } }, async (request, reply) =>
      reply.status(201).send(await createPartner(services.tracker, actorOf(request), request.body)),
    );

    app.get('/api/users', { schema: { tags: ['accounts'], summary: 'Users you can see', response: { 200: z.object({ items: z.array(user) }) } } }, async (request) => ({
      items: await listUsers(services.tracker, actorOf(request)),
    }));
    app.post('/api/users', { schema: { tags: ['accounts'], summary: 'Create a user (manager: own partner; admin: any)', body: newUser, response: { 201: user } } }, async (request, reply) =>
      reply.status(201).send(await createUser(services.tracker, actorOf(request), request.body)),
    );

    app.patch('/api/users/:id', {
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
    app.post('/api/tokens', { schema: { tags: ['accounts'], summary: 'Issue an API token; the secret is shown once', body: newToken, response: { 201: createdToken } } }, async (request, reply) =>
      reply.status(201).send(await createToken(services.tracker, actorOf(request), request.body)),
    );
    app.delete('/api/tokens/:id', { schema: { tags: ['accounts'], summary: 'Revoke a token', params: idParam, response: { 200: token } } }, async (request) =>
      revokeToken(services.tracker, actorOf(request), request.params.id),
    );
  };
}
