import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseComposeLine, ProgressSteps } from '../../main/api/controller/progressSteps';

// Lines as Compose 1.29 and 2.26 print them without a terminal (captured on this machine), \r included.
const V1_UP = [
  'Creating network "axipc_demo_default" with the default driver',
  'Creating volume "axipc_demo_data" with default driver',
  'Creating axipc_demo_postgres ... \r',
  'Creating axipc_demo_redis_1  ... \r',
  'Creating axipc_demo_postgres ... done\r',
  'Creating axipc_demo_redis_1  ... done\r',
];
const V2_UP = [
  ' Network axipc_demo_default  Creating',
  ' Container axipc_demo_postgres  Creating',
  ' Container axipc_demo-redis-1  Started',
  ' Container axipc_demo_postgres  Waiting',
  ' Container axipc_demo-redis-1  Waiting',
  ' Container axipc_demo-redis-1  Healthy',
  ' Container axipc_demo_postgres  Healthy',
];

const said = (lines: string[], steps = new ProgressSteps('axipc_demo')) =>
  lines.map((l) => steps.line(l)).filter((x) => x !== null);

describe("Compose's progress in the window's words", () => {
  test('v1 up: the network, volumes, and each service by its name, with "done" as its past', () => {
    assert.deepEqual(said(V1_UP), [
      'creating the network',
      'creating volume data',
      'creating postgres',
      'creating redis',
      'postgres created',
      'redis created',
    ]);
  });

  test('v2 up --wait: services named without project or replica; the health wait lists who is still awaited', () => {
    assert.deepEqual(said(V2_UP), [
      'creating the network',
      'creating postgres',
      'redis started',
      'waiting for postgres to be healthy',
      'waiting for postgres, redis to be healthy',
      'waiting for postgres to be healthy',
      'postgres healthy',
    ]);
  });

  test("an operation's step stays in front of Compose's detail; axi's own lines pass; noise does not", () => {
    const steps = new ProgressSteps('aegisx_auth');
    assert.equal(
      steps.line('step 2/4: taking a snapshot of its volumes'),
      'step 2/4: taking a snapshot of its volumes',
    );
    assert.equal(
      steps.line('snapshot 1/2 volumes: aegisx_auth_postgres_data'),
      'step 2/4: taking a snapshot of its volumes · snapshot 1/2 volumes: aegisx_auth_postgres_data',
    );
    steps.line('step 4/4: starting on fresh volumes');
    assert.equal(
      steps.line(' Container aegisx-auth-api-1  Starting'),
      'step 4/4: starting on fresh volumes · starting api',
    );
    assert.equal(steps.line('time="x" level=warning msg="the attribute `version` is obsolete"'), null);
    assert.equal(steps.line('   '), null);
  });

  test('v1 stop and down lines; v2 "Stopped"; an unrelated line is no event', () => {
    assert.deepEqual(parseComposeLine('Stopping axipc_demo_redis_1  ... done\r', 'axipc_demo'), {
      kind: 'container',
      name: 'redis',
      verb: 'stopped',
    });
    assert.deepEqual(parseComposeLine('Removing network axipc_demo_default', 'axipc_demo'), {
      kind: 'network',
      name: 'axipc_demo_default',
      verb: 'removing',
    });
    assert.equal(parseComposeLine(' Container x  Stopped', 'p')?.verb, 'stopped');
    assert.equal(parseComposeLine('Pulling fs layer', 'p'), null);
  });
});
