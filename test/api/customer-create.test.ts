/**
 * Creating a customer: a workload named twice (in any spelling the catalogue accepts) gets one
 * entitlement rather than a clash answered as a taken tenant id; an empty region is no region, as
 * it is on a change; and a taken tenant id is answered in the same words on create and on change.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../factories.js';
import { useApiWorld } from './api-world.js';

describe.each(ENGINES)('creating customers on %s', (engine) => {
  const api = useApiWorld(engine);
  const manager = () => ({ authorization: `Bearer ${api.world.tokens.northManager}` });
  const create = (payload: object) => api.app.inject({ method: 'POST', url: '/api/customers', headers: manager(), payload });

  it('makes one entitlement for a workload the list names twice', async () => {
    const res = await create({ tenantId: 'twice-1', name: 'Twice Co', workloads: ['teams', 'Teams', 'exchange-online', 'Exchange Online'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().entitlementCount).toBe(2);
    const list = (await api.app.inject({ url: `/api/entitlements?customerId=${res.json().id}`, headers: manager() })).json();
    expect(list.items.map((e: { workload: string }) => e.workload).sort()).toEqual(['exchange-online', 'teams']);
  });

  it('stores an empty or blank region as none, and trims a region', async () => {
    const blank = await create({ tenantId: 'region-blank', name: 'Blank Region Co', region: '   ' });
    const empty = await create({ tenantId: 'region-empty', name: 'Empty Region Co', region: '' });
    const spaced = await create({ tenantId: 'region-spaced', name: 'Spaced Region Co', region: '  EMEA ' });
    expect([blank.json().region, empty.json().region, spaced.json().region]).toEqual([null, null, 'EMEA']);
  });

  it('answers a taken tenant id in the same words on create and on change', async () => {
    const first = (await create({ tenantId: 'taken-1', name: 'First Co' })).json();
    const second = (await create({ tenantId: 'other-1', name: 'Second Co' })).json();
    const onCreate = await create({ tenantId: 'TAKEN-1', name: 'Third Co' });
    const onChange = await api.app.inject({ method: 'PATCH', url: `/api/customers/${second.id}`, headers: manager(), payload: { tenantId: 'taken-1' } });
    expect([onCreate.statusCode, onChange.statusCode]).toEqual([409, 409]);
    // The manager's own customer has it: named, with its id.
    expect(onChange.json().error).toEqual({ code: 'CONFLICT', message: onCreate.json().error.message.replace('TAKEN-1', 'taken-1'), details: { field: 'tenantId', customerId: first.id } });
    expect(onChange.json().error.message).toBe(`Tenant id "taken-1" is already registered to your customer First Co (customer ${first.id}); tenant ids are unique across all partners.`);
  });
});

describe.each(ENGINES)('bulk changes naming an entitlement twice on %s', (engine) => {
  const api = useApiWorld(engine);

  it('answer 400 VALIDATION_FAILED naming each repeated item, and change nothing', async () => {
    const manager = { authorization: `Bearer ${api.world.tokens.northManager}` };
    const customer = (await api.app.inject({ method: 'POST', url: '/api/customers', headers: manager, payload: { tenantId: 'bulk-twice', name: 'Bulk Twice Co', workloads: ['teams', 'intune'] } })).json();
    const [a, b] = (await api.app.inject({ url: `/api/entitlements?customerId=${customer.id}&sort=id`, headers: manager })).json().items as { id: number; version: number }[];
    const item = (e: { id: number; version: number }, owner: string) => ({ id: e.id, version: e.version, owner });
    const res = await api.app.inject({ method: 'POST', url: '/api/entitlements/bulk-status', headers: manager, payload: { items: [item(a!, 'A'), item(b!, 'B'), item(a!, 'C'), item(a!, 'D')] } });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().error.details).toEqual([
      { where: 'body', path: '/items/2/id', message: `entitlement ${a!.id} is already item 0` },
      { where: 'body', path: '/items/3/id', message: `entitlement ${a!.id} is already item 0` },
    ]);
    const after = (await api.app.inject({ url: `/api/entitlements/${b!.id}`, headers: manager })).json();
    expect([after.version, after.owner]).toEqual([b!.version, null]);
  });
});
