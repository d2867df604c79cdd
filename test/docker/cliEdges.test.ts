import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { holdPort, runAxi, runAxiJson, sandbox } from '../helpers';
import { composeDown, exec, RUN } from './dockerHelpers';

/** The CLI's everyday edges, on the real engine: each one said right, in one line. */
describe('CLI edges', () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const dir = sb.folder(`aegisx-starter-feature-login${RUN}`);
  const other = sb.folder(`aegisx-starter-edgeother${RUN}`);
  const name = `feature_login${RUN}`;
  let otherPorts: Record<string, number> = {};

  before(async () => {
    const r = await runAxiJson(['setup', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.name, name);
    const o = await runAxiJson(['setup', other], { env });
    assert.equal(o.code, 0, o.stderr);
    otherPorts = o.json.ports;
    const up = await runAxi(['up', name, '--wait'], { env });
    assert.equal(up.code, 0, up.stderr);
  });

  after(async () => {
    await composeDown(`axitest_${name}`, `${dir}/docker-compose.instance.yml`);
    await exec('docker', ['volume', 'rm', '-f', `${name}_postgres_data`, `${name}_redis_data`]);
    sb.cleanup();
  });

  test('status takes the folder’s dash form of a name, and names the close ones when nothing matches', async () => {
    const dashed = await runAxiJson(['status', `feature-login${RUN}`], { env });
    assert.equal(dashed.code, 0, dashed.stderr);
    assert.equal(dashed.json.name, name);
    const typo = await runAxi(['stop', `feature-logn${RUN}`], { env });
    assert.equal(typo.code, 2);
    assert.equal(
      typo.stderr,
      `axi: no registered instance named or in "feature-logn${RUN}"; did you mean ${name}? (see axi list)\n`,
    );
  });

  test('logs of a service it does not have lists the services it has', async () => {
    const r = await runAxi(['logs', name, 'nosuchsvc'], { env });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `axi: ${name} has no service "nosuchsvc"; its services: pgadmin, postgres, redis\n`);
  });

  test('clone-data into a running target says it is running before asking for --yes', async () => {
    const r = await runAxi(['clone-data', `edgeother${RUN}`, name], { env });
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, `axi: ${name} is running; stop it first (axi stop ${name}), then copy data into it\n`);
  });

  test('doctor names the folder to reassign, never a placeholder or raw JSON', async () => {
    const holder = await holdPort(otherPorts.web!);
    try {
      const r = await runAxi(['doctor'], { env });
      assert.doesNotMatch(r.stdout, /<folder>|[{}]/, r.stdout);
      assert.match(r.stdout, new RegExp(`fix: axi setup ${other.replace(/[/.]/g, '\\$&')} --reassign`), r.stdout);
      // --json names each engine's file system as the text does, without the copy's internal fields.
      const j = await runAxiJson(['doctor', '--json'], { env });
      const local = (j.json.storage as { engine: string; fs?: string }[]).find((s) => s.engine === 'local')!;
      assert.deepEqual(Object.keys(local).sort(), ['clones', 'engine', 'fs'], JSON.stringify(local));
      assert.match(r.stdout, new RegExp(`^engine local: volumes on ${local.fs!.replace(/[()/]/g, '\\$&')},`, 'm'));
    } finally {
      await holder.stop();
    }
  });

  test('axi serve on a port in use says so and exits, rather than running on with nothing listening', async () => {
    const holder = net.createServer();
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as net.AddressInfo).port)),
    );
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('axi serve was still running 30 s after the refusal')), 30_000).unref(),
      );
      const r = await Promise.race([runAxi(['serve', '--port', String(port)], { env }), timeout]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`port ${port} is in use; pick another with --port`));
    } finally {
      holder.close();
    }
  });

  test('down --volumes without a terminal needs --yes; remove after it does not claim volumes were kept; help calls stop a stop', async () => {
    const unconfirmed = await runAxi(['down', name, '--volumes'], { env });
    assert.equal(unconfirmed.code, 2);
    assert.equal(
      unconfirmed.stderr,
      `axi: Delete ${name}'s volumes axitest_${name}_postgres_data, axitest_${name}_redis_data? Its data is gone for good (no snapshot is kept). Pass --yes to confirm.\n`,
    );
    const kept = await exec('docker', ['volume', 'ls', '-q', '--filter', `name=axitest_${name}_postgres_data`]);
    assert.match(kept.stdout, new RegExp(`axitest_${name}_postgres_data`), 'the volume went without a confirmation');
    assert.equal((await runAxi(['down', name, '--volumes', '--yes'], { env })).code, 0);
    const r = await runAxi(['remove', name], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Removed ${name} from the registry (files in ${dir} kept).\n`);
    const help = await runAxi(['--help'], { env });
    const stopLine = help.stdout.split('\n').find((l) => /^\s+stop\b/.test(l)) ?? '';
    assert.match(stopLine, /stop/);
    assert.doesNotMatch(stopLine.replace(/^\s+stop/, ''), /pause/, stopLine);
  });
});

/** What the CLI prints once the engine has answered (statuses, its request log): moved from test/cli so that
 *  the unit loop needs no engine. */
describe('CLI output with the engine answering', () => {
  const sb = sandbox();
  sb.env.AXI_PREFIX = 'axitest';
  before(async () => {
    const r = await runAxi(['setup', sb.folder(`aegisx-starter-kept${RUN}`)], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => sb.cleanup());

  test('remove forgets a registration and keeps files; list is a readable table', async () => {
    const dir = sb.folder('aegisx-starter-to-remove');
    await runAxi(['setup', dir], { env: sb.env });
    const table = await runAxi(['list'], { env: sb.env });
    assert.match(table.stdout, /^NAME\s+STATUS\s+POSTGRES\s+REDIS\s+API\s+WEB\s+ADMIN\s+PGADMIN\s+FOLDER\n/);
    assert.match(
      table.stdout,
      /\nto_remove\s+not-created\s+\d{4}\s+\d{4}\s+\d{4}\s+\d{4}\s+\d{4}\s+\d{4}\s+\S+to-remove\n/,
    );
    const r = await runAxi(['remove', 'to_remove'], { env: sb.env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, '.env.local')));
    assert.ok(existsSync(path.join(dir, 'docker-compose.instance.yml')));
    const list = (await runAxiJson(['list'], { env: sb.env })).json as { name: string }[];
    assert.ok(!list.some((i) => i.name === 'to_remove'));
    const again = await runAxi(['remove', 'to_remove'], { env: sb.env });
    assert.equal(again.code, 2);
    assert.equal(again.stderr, 'axi: no registered instance named or in "to_remove"; see axi list\n');
  });

  test('AXI_DEBUG=1 and --verbose print each engine request and spawn to stderr; stdout stays as without them', async () => {
    const quiet = await runAxi(['stop-all'], { env: sb.env });
    for (const [args, env] of [
      [['stop-all'], { ...sb.env, AXI_DEBUG: '1' }],
      [['--verbose', 'stop-all'], sb.env],
    ] as const) {
      const r = await runAxi([...args], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, quiet.stdout);
      assert.match(r.stderr, /^axi: debug: engine GET \/_ping \(unix:\/\/\/var\/run\/docker\.sock\)$/m);
      assert.match(r.stderr, /^axi: debug: engine GET \/containers\/json /m);
    }
    assert.equal(quiet.stderr, '');
  });
});
