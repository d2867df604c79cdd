import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceVolumes } from '../../main/core/compose/instanceVolumes';

test("a --from stack's volumes match by their compose key, whatever their name: says", () => {
  const doc = {
    services: { db: { volumes: ['dbdata:/var/lib/postgresql/data', './src:/src'] } },
    volumes: { dbdata: { name: 'shop_pgdata_feature_y' }, cache: {}, shared: { external: true } },
  };
  assert.deepEqual(instanceVolumes(doc, 'shop_feature_y', true), [
    { name: 'shop_feature_y_cache', key: 'cache' },
    { name: 'shop_pgdata_feature_y', key: 'dbdata' },
  ]);
});

test('the AegisX stack (any prefix:) keys each volume by the service that mounts it', () => {
  const doc = {
    services: {
      postgres: { volumes: ['trialax_postgres_data:/var/lib/postgresql/data'] },
      redis: { volumes: [{ type: 'volume', source: 'trialax_redis_data', target: '/data' }] },
    },
    volumes: {
      trialax_postgres_data: { name: 'trialax_postgres_data' },
      trialax_redis_data: { name: 'trialax_redis_data' },
    },
  };
  assert.deepEqual(instanceVolumes(doc, 'trialax', false), [
    { name: 'trialax_postgres_data', key: 'postgres' },
    { name: 'trialax_redis_data', key: 'redis' },
  ]);
});
