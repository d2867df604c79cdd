import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthVerdict } from '../../main/docker/compose/health';
import { container } from './containers';

test('no containers yet: waiting for containers', () => {
  assert.deepEqual(healthVerdict([]), { done: false, waitingFor: ['containers'] });
});

test('running and healthy, or running without a healthcheck: done', () => {
  assert.deepEqual(healthVerdict([container('db', 'Up 2 minutes (healthy)'), container('web', 'Up 2 minutes')]), {
    done: true,
  });
});

test('starting health or a container not yet running: waiting for those services, in order', () => {
  const v = healthVerdict([
    container('db', 'Up 3 seconds (health: starting)'),
    container('web', 'Up 1 second'),
    container('api', 'Created', 'created'),
  ]);
  assert.deepEqual(v, { done: false, waitingFor: ['db', 'api'] });
});

test('an exited or dead container fails the wait at once, naming it', () => {
  const exited = container('api', 'Exited (1) 2 seconds ago', 'exited');
  const v = healthVerdict([container('db', 'Up 3 seconds (health: starting)'), exited]);
  assert.ok('failed' in v);
  assert.equal(v.failed, exited);
  assert.equal(v.why, 'exited');
  const dead = healthVerdict([container('db', 'Dead', 'dead')]);
  assert.ok('failed' in dead && dead.failed.service === 'db');
});

test('an unhealthy container fails the wait', () => {
  const v = healthVerdict([container('web', 'Up 1 minute'), container('db', 'Up 1 minute (unhealthy)')]);
  assert.ok('failed' in v);
  assert.equal(v.failed.service, 'db');
  assert.equal(v.why, 'is unhealthy');
});
