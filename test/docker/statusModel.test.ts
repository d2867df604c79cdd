import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { expectedServices } from '../../main/docker/status/status';
import { deriveStatus } from '../../main/docker/status/status';
import type { StatusModel } from '../../main/docker/status/statusModel';
import { sandbox } from '../helpers';
import { composeDown, exec, RUN } from './dockerHelpers';

const MARKER = '/run/axi-test-dockerd';

function until<T>(
  model: StatusModel,
  event: string,
  pred: (...args: any[]) => T | undefined,
  ms: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (model.off(event, on), reject(new Error(`timed out waiting for ${what}`))), ms);
    const on = (...args: any[]) => {
      const v = pred(...args);
      if (v !== undefined && v !== false) {
        clearTimeout(t);
        model.off(event, on);
        resolve(v);
      }
    };
    model.on(event, on);
    on();
  });
}

async function engineAnswers(): Promise<boolean> {
  return (await exec('docker', ['info'])).code === 0;
}

describe('live status model', () => {
  const sb = sandbox();
  const backend = createBackend({ paths: sb.service().paths, env: { ...process.env, AXI_PREFIX: 'axitest' } });
  const model = backend.statusModel();
  const dir = sb.folder(`aegisx-starter-live${RUN}`);
  const name = `live${RUN}`;

  after(async () => {
    model.stop();
    await composeDown(`axitest_${name}`, `${dir}/docker-compose.instance.yml`);
    sb.cleanup();
  });

  const statusOf = async () => {
    const rec = await backend.service.find(name);
    return deriveStatus(name, model.project(rec.project), expectedServices(rec));
  };

  test('follows the engine events: not-created → running → partial when a container stops', async () => {
    await backend.service.setup(dir, { env: {} });
    await model.start();
    assert.equal(model.engine, 'connected');
    assert.equal((await statusOf()).status, 'not-created');
    await backend.lifecycle.up(name, { wait: true });
    assert.equal((await statusOf()).status, 'running');
    await exec('docker', ['stop', `axitest_${name}_pgadmin`]);
    await until(
      model,
      'change',
      () => model.project(`axitest_${name}`)?.find((c) => c.service === 'pgadmin' && c.state === 'exited'),
      10000,
      'pgadmin exited',
    );
    const s = await statusOf();
    assert.equal(s.status, 'partial');
    assert.equal(s.services.pgadmin!.state, 'exited');
    assert.equal(s.services.postgres!.health, 'healthy');
  });

  test('dockerd killed and restarted: unknown meanwhile, then the true status, without restarting our process', async (t) => {
    if (!existsSync(MARKER)) {
      t.skip(`dockerd was not started by the test setup (${MARKER} absent), so it is not ours to kill`);
      return;
    }
    // This engine's own pid file: `pidof dockerd` would also name the remote-engine tests' dockerd in its namespace.
    const pid = readFileSync('/var/run/docker.pid', 'utf8').trim();
    assert.ok(pid, 'no dockerd process');
    process.kill(Number(pid), 'SIGTERM');
    await until(model, 'engine', () => model.engine === 'unknown' || undefined, 30000, 'engine unknown');
    assert.equal((await statusOf()).status, 'unknown');
    for (let i = 0; i < 100 && (await engineAnswers()); i++) await new Promise((r) => setTimeout(r, 200));

    const log = openSync('/var/log/axi-test-dockerd.log', 'a');
    spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
    await until(model, 'engine', () => model.engine === 'connected' || undefined, 60000, 'engine back');
    // Containers do not survive their engine; the model reports what is true now.
    const s = await statusOf();
    assert.ok(['stopped', 'partial'].includes(s.status), `status after restart: ${s.status}`);
    assert.notEqual(s.status, 'unknown');
    await backend.lifecycle.up(name, { wait: true });
    await until(
      model,
      'change',
      () => model.project(`axitest_${name}`)?.filter((c) => c.state === 'running').length === 3 || undefined,
      30000,
      'running again',
    );
    assert.equal((await statusOf()).status, 'running');
  });
});
