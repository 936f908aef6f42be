/** Portfolio reports. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { countEntitlements, reportAgeing, reportFlow, reportForecast, reportNoteQuality } from '../../reports/index.js';
import type { Services } from '../../app/index.js';
import { actorOf } from '../auth.js';
import { ageingQuery, ageingReport, countsQuery, countsReport, flowQuery, flowReport, forecastQuery, forecastReport, noteQualityReport, periodQuery } from '../schemas/reports.js';

export function reportRoutes(services: Services): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/reports/counts', { schema: { tags: ['reports'], summary: 'Entitlement counts by L1, L2, workload, partner or owner (Duplicate/Invalid and every L1 that follows its rules left out)', querystring: countsQuery, response: { 200: countsReport } } }, async (request) => {
      const { by, ...filter } = request.query;
      return countEntitlements(services.tracker, actorOf(request), by, filter);
    });
    app.get('/api/reports/ageing', { schema: { tags: ['reports'], summary: 'Days in current status (Blocked by default) as a distribution', querystring: ageingQuery, response: { 200: ageingReport } } }, async (request) =>
      reportAgeing(services.tracker, actorOf(request), request.query),
    );
    app.get('/api/reports/forecast', { schema: { tags: ['reports'], summary: 'Unblock forecast by week: projected dates and historical time to clear', querystring: forecastQuery, response: { 200: forecastReport } } }, async (request) =>
      reportForecast(services.tracker, actorOf(request), request.query),
    );
    app.get('/api/reports/note-quality', { schema: { tags: ['reports'], summary: 'Note grades of status changes per month', querystring: periodQuery, response: { 200: noteQualityReport } } }, async (request) =>
      reportNoteQuality(services.tracker, actorOf(request), request.query),
    );
    app.get('/api/reports/flow', { schema: { tags: ['reports'], summary: 'Moves between codes (or L1s) in a period', querystring: flowQuery, response: { 200: flowReport } } }, async (request) =>
      reportFlow(services.tracker, actorOf(request), request.query),
    );
  };
}
