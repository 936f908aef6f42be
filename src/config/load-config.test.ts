import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/index.js';
import { defaultClassifierWorkers, loadConfig, resolveDataDir } from './load-config.js';

describe('classifier workers setting', () => {
  it('leaves one core to the HTTP thread, between 1 and 2 workers', () => {
    expect([1, 2, 3, 4, 16].map(defaultClassifierWorkers)).toEqual([1, 1, 2, 2, 2]);
  });

  it('reads CLASSIFIER_WORKERS: a number, or auto', () => {
    expect(loadConfig({ CLASSIFIER_WORKERS: '0' }).classifierWorkers).toBe(0);
    expect(loadConfig({ CLASSIFIER_WORKERS: '3' }).classifierWorkers).toBe(3);
    expect(loadConfig({}).classifierWorkers).toBe(defaultClassifierWorkers(availableParallelism()));
    expect(loadConfig({ CLASSIFIER_WORKERS: '2' }, { CLASSIFIER_WORKERS: 'auto' }).classifierWorkers).toBe(defaultClassifierWorkers(availableParallelism()));
  });

  it('names the variable when the value is wrong', () => {
    for (const bad of ['many', '-1', '1.5']) {
      try {
        loadConfig({ CLASSIFIER_WORKERS: bad });
        expect.unreachable(`accepted ${bad}`);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('CONFIG_INVALID');
        expect((error as AppError).message).toContain('CLASSIFIER_WORKERS');
      }
    }
  });
});

describe('data folder', () => {
  it('resolves DATA_DIR (default ./data under the working folder) the same way for the CLI and the server', () => {
    expect(resolveDataDir({ DATA_DIR: '/srv/unblock' })).toBe('/srv/unblock');
    expect(resolveDataDir({})).toBe(resolve('data'));
    expect(resolveDataDir({ DATA_DIR: '' })).toBe(resolve('data'));
    expect(loadConfig({ DATA_DIR: '/srv/unblock' }).dataDir).toBe(resolveDataDir({ DATA_DIR: '/srv/unblock' }));
  });
});

describe('TRUST_PROXY', () => {
  it('reads true, false and proxy addresses, and refuses a number of hops (Fastify would silently trust nothing)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1, 10.0.0.0/8');
    for (const bad of ['1', '2', 'yes please']) {
      try {
        loadConfig({ TRUST_PROXY: bad });
        expect.unreachable(`accepted ${bad}`);
      } catch (error) {
        expect((error as AppError).code).toBe('CONFIG_INVALID');
        expect((error as AppError).message).toContain('TRUST_PROXY');
        if (/^\d+$/.test(bad)) expect((error as AppError).message).toMatch(/number of proxy hops is not supported/);
      }
    }
  });
});
