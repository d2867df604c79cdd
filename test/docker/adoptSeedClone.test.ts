import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupController } from '../../main/api/controller/controller';
import { createBackend } from '../../main/docker/lifecycle/backend';
import { GIT_IDENTITY, runAxi, sandbox } from '../helpers';
import { composeCli, exec, psql, psqlSoon, removeOwned, RUN } from './dockerHelpers';
import { seedPorts, writeSeedFiles } from './seedFiles';

/** The base file the seed's repository ships beside its instance files (the fallback of its scripts). */
const BASE_COMPOSE = `services:
  postgres:
    image: postgres:15-alpine
    container_name: aegisx_postgres
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: postgres
      POSTGRES_DB: aegisx_db
    ports:
      - '5432:5432'
    volumes:
      - postgres_data:/var/lib/postgresql/data
  redis:
    image: redis:7-alpine
    container_name: aegisx_redis
    ports:
      - '6379:6379'
    volumes:
      - redis_data:/data
volumes:
  postgres_data:
  redis_data:
`;

/** The seed's own `pnpm run docker:up` / `docker:down`, in the folder: null when it worked, else what it said. */
const seedCompose = (cwd: string, ...args: string[]) => {
  const cli = composeCli();
  return new Promise<string | null>((resolve) =>
    execFile(cli.cmd, [...cli.pre, '-f', 'docker-compose.instance.yml', ...args], { cwd }, (e, so, se) =>
      resolve(e ? so + se : null),
    ),
  );
};

const git = (cwd: string, ...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile('git', args, { cwd, env: { ...process.env, ...GIT_IDENTITY } }, (err, _o, se) =>
      err ? reject(new Error(`git ${args.join(' ')}: ${se}`)) : resolve(),
    ),
  );

/** Every container of a Compose project (the seed's, axi's, or one old code made from the base file). */
async function removeProject(project: string): Promise<void> {
  const ids = (await exec('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout
    .split('\n')
    .filter(Boolean);
  if (ids.length) await exec('docker', ['rm', '-f', ...ids]);
}

async function postgresMounts(container: string): Promise<string> {
  const r = await exec('docker', ['inspect', '-f', '{{range .Mounts}}{{.Name}} {{end}}', container]);
  return r.stdout.trim();
}

/**
 * Issue 29 point 5, on a real seed clone (new-user trial): the repository ships a base `docker-compose.yml`
 * (`container_name: aegisx_postgres`, volume `postgres_data`) beside the seed's instance files. Adoption takes the
 * stack the seed's files describe and its containers run, never the base file: the row written before adoption
 * is there after it and after `axi up`, through the CLI and through the window's adoptFolder alike.
 */
describe("a real seed clone (with the repository's base docker-compose.yml) is adopted, data and all", () => {
  const sb = sandbox();
  const env: NodeJS.ProcessEnv = { ...sb.env, AXI_PREFIX: 'axitest' };
  const origin = path.join(sb.dir, 'origin', 'aegisx-starter.git');
  const work = sb.folder('aegisx-starter');
  // Slots 90-129, by run: apart from adoptSeed's (40-89) and from each other.
  // Ten apart: the seed's layouts of adjacent slots share a port (slot n's admin is slot n+1's web).
  const slot = (k: number) => 90 + ((parseInt(RUN, 36) + k * 10) % 40);
  const clones = ['cli', 'api', 'rest'].map((how, k) => {
    const suffix = `${how}${RUN}`;
    const dir = path.join(sb.dir, 'work', `aegisx-starter-${suffix}`);
    const name = suffix;
    const seedProject = `aegisx-starter-${suffix}`;
    return {
      suffix,
      dir,
      name,
      seedProject,
      ports: seedPorts(slot(k)),
      volume: `${seedProject}_${name}_postgres_data`,
    };
  });
  const backend = createBackend({ paths: sb.service().paths, env });
  const controller = setupController({ backend });

  before(async () => {
    writeFileSync(path.join(work, 'docker-compose.yml'), BASE_COMPOSE);
    await git(work, 'init', '-q', '-b', 'main');
    await git(work, 'add', '.');
    await git(work, 'commit', '-qm', 'base');
    await git(sb.dir, 'clone', '-q', '--bare', work, origin);
    for (const c of clones) {
      await git(sb.dir, 'clone', '-q', origin, c.dir);
      writeSeedFiles(c.dir, c.suffix, c.ports);
      assert.equal(await seedCompose(c.dir, 'up', '-d'), null);
    }
    for (const c of clones) {
      await psqlSoon(c.ports.postgres, 'SELECT 1').catch(() => psqlSoon(c.ports.postgres, 'SELECT 1'));
      await psql(c.ports.postgres, 'CREATE TABLE t (body text)');
      await psql(c.ports.postgres, "INSERT INTO t VALUES ('seed-row-42')");
    }
    await controller.start();
  });

  after(async () => {
    controller.stop();
    for (const c of clones) {
      for (const p of [c.seedProject, `axitest_${c.name}`]) await removeProject(p);
      const vols = ['postgres_data', 'redis_data'].flatMap((v) => [
        `${c.seedProject}_${c.name}_${v}`,
        `${c.seedProject}_${v}`,
      ]);
      await exec('docker', ['volume', 'rm', '-f', ...vols]);
    }
    await removeOwned(env);
    sb.cleanup();
  });

  const assertSeedData = async (c: (typeof clones)[number]) => {
    const container = `axitest_${c.name}_postgres`;
    assert.match(await postgresMounts(container), new RegExp(c.volume), `${container} mounts the seed's volume`);
    assert.equal(await psqlSoon(c.ports.postgres, 'SELECT body FROM t'), 'seed-row-42');
    const file = readFileSync(path.join(c.dir, 'docker-compose.instance.yml'), 'utf8');
    assert.doesNotMatch(file, /aegisx_postgres\b/, "the base file's container names are not the instance's");
  };

  test("axi adopt: the seed's stack, not the base file; the row is there after adoption and after axi up", async () => {
    const c = clones[0]!;
    const r = await runAxi(['adopt', c.dir], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`kept volume ${c.volume}`));
    assert.doesNotMatch(r.stdout + r.stderr, /aegisx_postgres\b|Creating volume/);
    await assertSeedData(c);
    assert.equal((await runAxi(['down', c.name], { env })).code, 0);
    const up = await runAxi(['up', c.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await assertSeedData(c);
    // The knock-on: the main clone's own names stay free for it.
    const main = await runAxi(['setup', work], { env });
    assert.equal(main.code, 0, main.stdout + main.stderr);
  });

  test("the window's adoptFolder: the same stack, the row there, Postgres on the seed's volume", async () => {
    const c = clones[1]!;
    // setup --force while the seed's containers run: one line pointing at adoption, not Compose's raw error later.
    const forced = await runAxi(['setup', c.dir, '--force'], { env });
    assert.notEqual(forced.code, 0);
    assert.match(forced.stderr, /^axi: .*is a seed instance whose containers still run .*axi adopt [^\n]*\n$/);
    // Stopped, they still hold the container names (and the data): refused all the same.
    const seedContainers = ['postgres', 'redis', 'pgladmin'].map((s) => `aegisx_${c.name}_${s}`);
    assert.equal((await exec('docker', ['stop', ...seedContainers])).code, 0);
    const stopped = await runAxi(['setup', c.dir, '--force'], { env });
    assert.notEqual(stopped.code, 0);
    assert.match(
      stopped.stderr,
      /^axi: .*is a seed instance whose containers still exist, stopped .*axi adopt [^\n]*\n$/,
    );
    const doctor = await runAxi(['doctor'], { env });
    assert.match(
      doctor.stdout,
      new RegExp(`${c.dir} has the stopped containers of Compose project ${c.seedProject} .*fix: axi adopt`),
    );
    assert.equal((await exec('docker', ['start', ...seedContainers])).code, 0);
    assert.match(readFileSync(path.join(c.dir, '.env.local'), 'utf8'), /^# Instance configuration for: /);
    const r = (await controller.invoke('adoptFolder', [{ dir: c.dir }])) as { ok: boolean; error?: unknown };
    assert.equal(r.ok, true, JSON.stringify(r));
    await assertSeedData(c);
    const up = await runAxi(['up', c.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await assertSeedData(c);
  });

  test("the seed's docker:down left only its volumes: adopt finds them, the row is there after axi up", async () => {
    const c = clones[2]!;
    assert.equal(await seedCompose(c.dir, 'down'), null);
    const r = await runAxi(['adopt', c.dir], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`found project ${c.seedProject}'s volumes, its containers removed`));
    assert.match(r.stdout, new RegExp(`kept volume ${c.volume}`));
    assert.match(r.stdout, new RegExp(`postgres ${c.ports.postgres}\\b`), "the seed's ports kept");
    assert.match(r.stdout, new RegExp(`start it with axi up ${c.name}`));
    const up = await runAxi(['up', c.name, '--wait'], { env });
    assert.equal(up.code, 0, up.stdout + up.stderr);
    await assertSeedData(c);

    // The seed's files, never started: adopted by its ports, as setup's refusal says it would be.
    const never = `never${RUN}`;
    const dir = path.join(sb.dir, 'work', `aegisx-starter-${never}`);
    await git(sb.dir, 'clone', '-q', origin, dir);
    const ports = seedPorts(slot(3));
    writeSeedFiles(dir, never, ports);
    const refused = await runAxi(['setup', dir], { env });
    assert.match(refused.stderr, /a seed instance.*axi adopt/);
    const adopted = await runAxi(['adopt', dir], { env });
    assert.equal(adopted.code, 0, adopted.stdout + adopted.stderr);
    assert.match(adopted.stdout, /it never ran here, so only its ports are kept/);
    const listed = JSON.parse((await runAxi(['list', '--json'], { env })).stdout) as { name: string; ports: object }[];
    assert.deepEqual(listed.find((i) => i.name === never)?.ports, { ...ports }, "the seed's ports, all of them");
  });
});
