/**
 * QA session 18 (API, second pass): the period of the note-quality and flow reports at its edges.
 *
 * - A `from` after today sent without `to` was told "The period starts (2030-01-01) after it ends
 *   (2026-03-02)", naming an end the caller never sent; the message now says that end is today's, the
 *   one taken when `to` is left out.
 * - A `to` in year 0 without `from` answered `"from": "-000001-01"` (a year before 0, cut to ten
 *   characters): the default start is now held to 0000-01-01, a date the API reads.
 *
 * One day (from == to) and dates far in the future keep working.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
type ErrorBody = { error: { code: string; message: string } };

describe.each(ENGINES)('report periods at their edges on %s', (engine) => {
  const api = useApiWorld(engine);
  const get = (url: string) => api.app.inject({ url, headers: auth(api.world.tokens.northViewer) });

  it.each(['note-quality', 'flow'])('%s: a period that ends before it starts, both dates sent, is refused in the words it had', async (report) => {
    const res = await get(`/api/reports/${report}?from=2026-03-03&to=2026-03-02`);
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as ErrorBody;
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect(error.message).toBe('The period starts (2026-03-03) after it ends (2026-03-02).');
  });

  it.each(['note-quality', 'flow'])('%s: a start after today without an end says the end is today, taken by default', async (report) => {
    // The test clock stands at 2026-03-02.
    const res = await get(`/api/reports/${report}?from=2030-01-01`);
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as ErrorBody;
    expect(error.code).toBe('BAD_ARGUMENTS');
    expect(error.message).toBe('The period starts (2030-01-01) after it ends (2026-03-02, today: the end taken when none is given).');
  });

  it.each(['note-quality', 'flow'])('%s: an end in year 0 without a start starts on 0000-01-01, a date the API reads', async (report) => {
    for (const to of ['0000-01-01', '0000-06-30']) {
      const res = await get(`/api/reports/${report}?to=${to}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ from: '0000-01-01', to });
    }
    // A year later the default year before it is whole again.
    const later = await get(`/api/reports/${report}?to=0001-01-01`);
    expect(later.json()).toMatchObject({ from: '0000-01-02', to: '0001-01-01' });
    // What the answer gives as its start is accepted back as one.
    const again = await get(`/api/reports/${report}?from=0000-01-01&to=0000-01-01`);
    expect(again.statusCode, again.body).toBe(200);
  });

  it.each(['note-quality', 'flow'])('%s: one day, and days far in the future, are periods', async (report) => {
    for (const [from, to] of [['2026-03-02', '2026-03-02'], ['9999-12-31', '9999-12-31'], ['0000-01-01', '9999-12-31']]) {
      const res = await get(`/api/reports/${report}?from=${from}&to=${to}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ from, to });
    }
  });
});
