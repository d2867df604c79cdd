import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import * as Y from 'yaml';
import { main } from '../../main/cli/axi';
import { validateConfig } from '../../main/core/project/repoConfig';
import { renderSwarmStack, swarmPort, swarmStack, type SwarmStackInput } from '../../main/core/swarm/swarmStack';
import { dockerCliEnv } from '../../main/docker/swarm/swarmDeploy';
import { writeStackFile } from '../../main/docker/swarm/swarmFile';
import { sandbox } from '../helpers';

/** What `axi setup` writes for the AegisX stack (generator.ts), trimmed to what the transform looks at. */
const AEGISX_FILE = `
services:
  postgres:
    image: postgres:15-alpine
    container_name: aegisx_alice_feat_postgres
    ports:
      - '127.0.0.1:5433:5432'
    volumes:
      - aegisx_alice_feat_postgres_data:/var/lib/postgresql/data
    healthcheck: { test: [CMD-SHELL, pg_isready], interval: 5s, timeout: 5s, retries: 5 }
    deploy:
      resources:
        limits: { memory: 512M, cpus: '0.5' }
        reservations: { memory: 256M }
    labels: { dev.aegisx-instances.instance: feat }
  pgadmin:
    image: dpage/pgadmin4:latest
    container_name: aegisx_alice_feat_pgadmin
    ports: ['127.0.0.1:5051:80']
    depends_on: [postgres]
    deploy: { resources: { limits: { memory: 256M, cpus: '0.5' }, reservations: { memory: 128M } } }
volumes:
  aegisx_alice_feat_postgres_data: { name: aegisx_alice_feat_postgres_data, labels: { dev.aegisx-instances.owner: alice } }
networks:
  default: { name: aegisx_alice_feat_network }
`;

const input = (doc: unknown, constraints: string[] = []): SwarmStackInput => ({
  doc,
  file: '/w/feat/docker-compose.instance.yml',
  folder: '/w/feat',
  constraints,
});
const services = (stack: Record<string, unknown>) => stack.services as Record<string, Record<string, unknown>>;

describe('an instance compose file as a Swarm stack', () => {
  test("the AegisX instance file: deploy and resources kept, container_name gone, ports in Swarm's form", () => {
    const doc = Y.parse(AEGISX_FILE) as Record<string, unknown>;
    const plan = swarmStack(input(doc));
    const s = services(plan.stack);
    assert.equal(plan.stack.version, '3.8');
    assert.deepEqual(s.postgres!.deploy, (doc.services as Record<string, { deploy: unknown }>).postgres!.deploy);
    assert.deepEqual(s.postgres!.ports, [{ target: 5432, published: 5433, mode: 'ingress' }]);
    assert.deepEqual(s.postgres!.volumes, ['aegisx_alice_feat_postgres_data:/var/lib/postgresql/data']);
    assert.deepEqual(plan.stack.volumes, doc.volumes, 'named volumes keep their names and labels');
    assert.deepEqual(s.pgadmin!.depends_on, ['postgres'], 'a plain list of names is kept');
    for (const def of Object.values(s)) assert.equal(def.container_name, undefined);
    assert.deepEqual(plan.stack.networks, { default: null }, "Compose's network name would clash with the overlay");
    const notes = plan.notes.join('\n');
    assert.match(notes, /^postgres, pgadmin: container_name dropped: Swarm names task containers itself/m);
    assert.match(notes, /^ports of postgres, pgadmin: Compose published them on 127\.0\.0\.1 only; Swarm publishes/m);
    assert.deepEqual(plan.narrowed, ['postgres', 'pgadmin']);
    assert.deepEqual(plan.serviceNotes, {}, 'a note every service shares is said once, at the top');
    assert.equal(plan.stack.name, undefined);
  });

  test('the rendered file carries the notes as comments and reads back as the stack', () => {
    const doc = Y.parse(AEGISX_FILE) as { services: Record<string, Record<string, unknown>> };
    delete doc.services.pgadmin!.container_name; // postgres alone has one: its note stays above it
    const plan = swarmStack(input(doc, ['node.role == manager']));
    const text = renderSwarmStack(Y, plan, ['Swarm stack of instance feat']);
    assert.match(text, /^# Swarm stack of instance feat\n/);
    assert.match(text, /^ {2}# container_name dropped: Swarm names task containers itself.*\n {2}postgres:\n/m);
    assert.match(text, /^# placement constraints from \.aegisx-instances\.yml/m);
    assert.deepEqual(Y.parse(text), plan.stack);
    assert.deepEqual(services(plan.stack).pgadmin!.deploy, {
      resources: { limits: { memory: '256M', cpus: '0.5' }, reservations: { memory: '128M' } },
      placement: { constraints: ['node.role == manager'] },
    });
  });

  test('depends_on conditions are dropped (names kept as a list), with a note', () => {
    const doc = {
      services: {
        api: { image: 'api', depends_on: { db: { condition: 'service_healthy', restart: true }, cache: {} } },
        db: { image: 'postgres' },
        cache: { image: 'redis' },
      },
    };
    const plan = swarmStack(input(doc));
    assert.deepEqual(services(plan.stack).api!.depends_on, ['db', 'cache']);
    assert.match(plan.serviceNotes.api!.join(), /depends_on conditions dropped: Swarm starts services in no order/);
  });

  test("the repository's constraints join a service's own, once each, on every service", () => {
    const doc = {
      services: {
        a: { image: 'a', deploy: { placement: { constraints: ['node.labels.disk == ssd'], preferences: [] } } },
        b: { image: 'b' },
      },
    };
    const s = services(swarmStack(input(doc, ['node.labels.disk == ssd', 'node.role == manager'])).stack);
    assert.deepEqual(s.a!.deploy, {
      placement: { constraints: ['node.labels.disk == ssd', 'node.role == manager'], preferences: [] },
    });
    assert.deepEqual(s.b!.deploy, { placement: { constraints: ['node.labels.disk == ssd', 'node.role == manager'] } });
    assert.equal(services(swarmStack(input(doc)).stack).b!.deploy, undefined, 'no deploy: made up when none');
  });

  test('build: is dropped when an image is named, refused when none is', () => {
    const plan = swarmStack(input({ services: { api: { image: 'shop/api:1', build: { context: './api' } } } }));
    assert.equal(services(plan.stack).api!.build, undefined);
    assert.match(plan.serviceNotes.api!.join(), /build: dropped: Swarm runs the image shop\/api:1/);
    assert.throws(
      () => swarmStack(input({ services: { api: { build: '.' } } })),
      /^AxiError: \/w\/feat\/docker-compose\.instance\.yml: services\.api has build: and no image:; Swarm cannot build/,
    );
  });

  test('a bind mount with a relative path is refused, naming it; an absolute one is kept with a note', () => {
    for (const volume of ['./data:/data', { type: 'bind', source: 'data', target: '/data' }]) {
      assert.throws(
        () => swarmStack(input({ services: { web: { image: 'w', volumes: [volume] } } })),
        (err: Error) =>
          /services\.web\.volumes \((\.\/)?data\): a bind mount with a relative path/.test(err.message) &&
          !err.message.includes('\n'),
      );
    }
    const plan = swarmStack(input({ services: { web: { image: 'w', volumes: ['/srv/www:/www:ro', 'cache:/c'] } } }));
    assert.deepEqual(services(plan.stack).web!.volumes, ['/srv/www:/www:ro', 'cache:/c']);
    assert.match(plan.serviceNotes.web!.join(), /bind mount \/srv\/www: that path must exist on the node/);
  });

  test('keys the stack format lacks or Swarm ignores are dropped and named; files the CLI reads made absolute', () => {
    const doc = {
      name: 'shop',
      services: {
        web: {
          image: 'w',
          restart: 'unless-stopped',
          pull_policy: 'never',
          mem_limit: '1g',
          env_file: ['.env', '/etc/shop.env'],
          deploy: { replicas: 2, resources: { limits: { cpus: '1' } }, scale: 3 },
          'x-note': 'kept',
        },
      },
      configs: { site: { file: './site.conf' } },
      'x-common': { a: 1 },
    };
    const plan = swarmStack(input(doc));
    const web = services(plan.stack).web!;
    assert.deepEqual(Object.keys(web).sort(), ['deploy', 'env_file', 'image', 'x-note']);
    assert.deepEqual(web.env_file, ['/w/feat/.env', '/etc/shop.env']);
    assert.deepEqual(web.deploy, { replicas: 2, resources: { limits: { cpus: '1' } } });
    assert.deepEqual(plan.stack.configs, { site: { file: '/w/feat/site.conf' } });
    assert.deepEqual(plan.stack['x-common'], { a: 1 });
    const notes = plan.serviceNotes.web!.join('\n');
    assert.match(notes, /restart dropped: Swarm ignores it/);
    assert.match(notes, /pull_policy, mem_limit dropped: not in the stack format/);
    assert.match(notes, /deploy\.scale dropped/);
    assert.match(plan.notes.join('\n'), /top-level name dropped/);
  });

  test('ports: ranges, UDP, container-only and long syntax; a ${VAR} port is left to docker stack deploy', () => {
    assert.deepEqual(swarmPort('127.0.0.1:5353:53/udp', 'dns'), {
      port: { target: 53, published: 5353, protocol: 'udp', mode: 'ingress' },
      hostIp: '127.0.0.1',
    });
    assert.deepEqual(swarmPort('8000-8002:8000-8002', 'a').port, '8000-8002:8000-8002');
    assert.deepEqual(swarmPort('0.0.0.0:8000-8002:8000-8002', 'a').port, '8000-8002:8000-8002');
    assert.deepEqual(swarmPort(9000, 'a').port, { target: 9000, mode: 'ingress' });
    assert.deepEqual(swarmPort({ target: 80, published: '8080', host_ip: '::1', mode: 'host' }, 'a'), {
      port: { target: 80, published: 8080, mode: 'host' },
      hostIp: '::1',
    });
    assert.deepEqual(swarmPort('${WEB_PORT:?}:80', 'a').port, '${WEB_PORT:?}:80');
    const plan = swarmStack(input({ services: { a: { image: 'a', ports: ['${WEB_PORT:?}:80'] } } }));
    assert.match(plan.notes.join(), /\$\{VAR\} is interpolated by docker stack deploy/);
  });

  test('a file without services, or a service that is not a mapping, is one line naming it', () => {
    assert.throws(() => swarmStack(input({ volumes: {} })), /instance\.yml: no services: mapping/);
    assert.throws(() => swarmStack(input({ services: { a: 'x' } })), /instance\.yml: services\.a is not a mapping/);
  });
});

describe('swarm.constraints in .aegisx-instances.yml', () => {
  test('a list of ATTRIBUTE ==/!= VALUE strings; anything else names its key', () => {
    assert.deepEqual(validateConfig({}, 'f.yml').swarm, { constraints: [], replicas: {}, instances: {} });
    assert.deepEqual(validateConfig({ swarm: { constraints: ['node.role != worker'] } }, 'f.yml').swarm, {
      constraints: ['node.role != worker'],
      replicas: {},
      instances: {},
    });
    assert.throws(
      () => validateConfig({ swarm: { constraints: ['node.role == manager', 'on a big box'] } }, 'f.yml'),
      /^AxiError: f\.yml: key swarm\.constraints\.1: a placement constraint/,
    );
    assert.throws(
      () => validateConfig({ swarm: { constraints: 'node.role == manager' } }, 'f.yml'),
      /key swarm\.constraints:/,
    );
    assert.throws(() => validateConfig({ swarm: { nodes: 2 } }, 'f.yml'), /key swarm\.nodes/);
  });
});

describe('the docker CLI on the instance’s engine', () => {
  test('a context by DOCKER_CONTEXT (its own TLS/SSH), a URL or the local engine by DOCKER_HOST', () => {
    const base = { DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'other', PATH: '/bin' };
    const at = (host: string, source = 'configured endpoint') => ({ host, source });
    assert.deepEqual(dockerCliEnv('devbox', at('ssh://me@devbox', 'configured endpoint'), base), {
      DOCKER_CONTEXT: 'devbox',
      PATH: '/bin',
    });
    assert.deepEqual(dockerCliEnv('tcp://10.0.0.2:2375', at('tcp://10.0.0.2:2375'), base), {
      DOCKER_HOST: 'tcp://10.0.0.2:2375',
      PATH: '/bin',
    });
    assert.deepEqual(dockerCliEnv(null, at('unix:///var/run/docker.sock', 'default socket'), base), {
      DOCKER_HOST: 'unix:///var/run/docker.sock',
      PATH: '/bin',
    });
    assert.deepEqual(
      dockerCliEnv(null, at('tcp://box:2376', 'docker context box'), base),
      { DOCKER_CONTEXT: 'box', PATH: '/bin' },
      'the local engine reached through the current context: that context, with its TLS',
    );
  });
});

describe('axi stack --out', () => {
  const sb = sandbox();
  after(() => sb.cleanup());

  test('writes the file; refuses a symlink out of its folder, a folder, and a missing folder', async () => {
    const dir = sb.folder('out');
    const file = await writeStackFile(path.join(dir, 'stack.yml'), 'version: "3.8"\n');
    assert.equal(readFileSync(file, 'utf8'), 'version: "3.8"\n');
    const outside = sb.folder('elsewhere');
    writeFileSync(path.join(outside, 'victim.yml'), 'keep\n');
    symlinkSync(path.join(outside, 'victim.yml'), path.join(dir, 'link.yml'));
    await assert.rejects(writeStackFile(path.join(dir, 'link.yml'), 'x\n'), /is a symlink to .*victim\.yml, outside/);
    assert.equal(readFileSync(path.join(outside, 'victim.yml'), 'utf8'), 'keep\n');
    symlinkSync('stack.yml', path.join(dir, 'inside.yml'));
    await writeStackFile(path.join(dir, 'inside.yml'), 'y\n');
    assert.equal(readFileSync(path.join(dir, 'stack.yml'), 'utf8'), 'y\n', 'a link within the folder is followed');
    mkdirSync(path.join(dir, 'sub'));
    await assert.rejects(writeStackFile(path.join(dir, 'sub'), 'x\n'), /--out .*sub is a folder/);
    await assert.rejects(writeStackFile(path.join(dir, 'nope', 'a.yml'), 'x\n'), /the folder .*nope does not exist/);
  });
});

test('axi stack: contradictory or bad options are exit 2, one line, before the registry or an engine is touched', async () => {
  for (const [argv, message] of [
    [['stack', 'x', '--status', '--deploy'], /^axi: --status only reads the deployed stack/],
    [['stack', 'x', '--status', '--out', 'f.yml'], /^axi: --status only reads the deployed stack/],
    [['stack', 'x', '--resolve-image', 'never'], /^axi: --resolve-image applies to --deploy only$/],
    [['stack', 'x', '--deploy', '--resolve-image', 'sometimes'], /^axi: --resolve-image "sometimes" is not one of/],
  ] as const) {
    const err: string[] = [];
    const code = await main([...argv], { out: () => assert.fail('no output'), err: (t) => err.push(t) }, () =>
      assert.fail('no backend expected'),
    );
    assert.equal(code, 2, argv.join(' '));
    assert.match(err.join(''), message);
    assert.equal(err.length, 1);
  }
});
