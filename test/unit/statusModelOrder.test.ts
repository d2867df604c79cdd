import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import type Dockerode from 'dockerode';
import { StatusModel, type EngineReader } from '../../main/docker/status/statusModel';

const entry = (state: string): Dockerode.ContainerInfo =>
  ({
    Id: 'c1',
    Names: ['/shop_postgres'],
    Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'postgres' },
    State: state,
    Status: state === 'running' ? 'Up 3 minutes' : 'Up 3 minutes (Paused)',
    Image: 'postgres',
    Created: 0,
    Ports: [],
  }) as unknown as Dockerode.ContainerInfo;

/**
 * An engine (behind the model's EngineReader interface) whose per-container listings are answered when
 * the test says, in any order: as the real engine may, on separate connections.
 */
function engineWithHeldListings() {
  const events = new PassThrough();
  const held: { resolve: (v: Dockerode.ContainerInfo[]) => void }[] = [];
  const reader = {
    getEvents: async () => events,
    listContainers: (opts?: { filters?: { id?: string[] } }) =>
      opts?.filters?.id
        ? new Promise<Dockerode.ContainerInfo[]>((resolve) => held.push({ resolve }))
        : Promise.resolve([entry('running')]),
  } as unknown as EngineReader;
  return { events, held, reader };
}

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok(), what);
};

describe('the status model applies a container’s events in order', () => {
  test('pause then unpause, answered in reverse order: the container ends running, not paused', async () => {
    const { events, held, reader } = engineWithHeldListings();
    const model = new StatusModel({ connect: async () => ({ docker: reader }) });
    await model.start();
    const send = (Action: string) =>
      events.write(`${JSON.stringify({ Type: 'container', Action, Actor: { ID: 'c1', Attributes: {} } })}\n`);
    send('pause');
    send('unpause');
    await until('both listings asked', () => held.length === 2);
    held[1]!.resolve([entry('running')]); // the unpause's listing answers first
    await new Promise((r) => setTimeout(r, 10));
    held[0]!.resolve([entry('paused')]); // then the pause's, late
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(model.project('shop')?.[0]?.state, 'running');
    model.stop();
  });
});

describe('the status model converges to the engine’s container list', () => {
  /** An engine whose whole list is the truth, and whose per-container listings answer what the test says. */
  function engineWithStaleListings() {
    const events = new PassThrough();
    const state = { truth: 'running', listing: 'running' };
    const reader = {
      getEvents: async () => events,
      listContainers: async (opts?: { filters?: { id?: string[] } }) => [
        entry(opts?.filters?.id ? state.listing : state.truth),
      ],
    } as unknown as EngineReader;
    const send = (Action: string) =>
      events.write(`${JSON.stringify({ Type: 'container', Action, Actor: { ID: 'c1', Attributes: {} } })}\n`);
    return { reader, state, send };
  }

  test('an unpause whose listing still said paused: running again by the slow re-list, with a change', async () => {
    const { reader, state, send } = engineWithStaleListings();
    const model = new StatusModel({ connect: async () => ({ docker: reader }), reconcileMs: 40 });
    // Every state the window is told of: the paused one lasts only until the next re-list (40 ms), which a poll
    // on a loaded machine can miss.
    const told: (string | undefined)[] = [];
    model.on('change', () => told.push(model.project('shop')?.[0]?.state));
    await model.start();
    state.listing = 'paused';
    send('pause');
    send('unpause'); // the engine answered this one's listing before it applied the unpause
    await until('paused as the stale listings say', () => told.includes('paused'));
    await until('running, as the engine’s list says', () => told.lastIndexOf('running') > told.indexOf('paused'));
    assert.equal(model.project('shop')?.[0]?.state, 'running', 'the window hears of it');
    model.stop();
  });

  test('a lost unpause event (the stream dropped it): running again by the slow re-list', async () => {
    const { reader, state, send } = engineWithStaleListings();
    const model = new StatusModel({ connect: async () => ({ docker: reader }), reconcileMs: 40 });
    await model.start();
    state.listing = 'paused';
    state.truth = 'paused';
    send('pause');
    await until('paused', () => model.project('shop')?.[0]?.state === 'paused');
    state.truth = 'running'; // unpaused, and no event arrives
    await until('running again', () => model.project('shop')?.[0]?.state === 'running');
    model.stop();
  });
});

describe('an unpause the engine logs before its list shows it', () => {
  test('the listing that still says paused is asked again: running within moments, without the slow re-list', async () => {
    const events = new PassThrough();
    let lagging = 2; // the first two listings after the unpause still say paused, as Docker's may
    let paused = false;
    const reader = {
      getEvents: async () => events,
      listContainers: async (opts?: { filters?: { id?: string[] } }) => {
        if (!opts?.filters?.id) return [entry('running')];
        if (paused) return [entry('paused')];
        return [entry(lagging-- > 0 ? 'paused' : 'running')];
      },
    } as unknown as EngineReader;
    const model = new StatusModel({ connect: async () => ({ docker: reader }), reconcileMs: 0 });
    await model.start();
    const send = (Action: string) =>
      events.write(`${JSON.stringify({ Type: 'container', Action, Actor: { ID: 'c1', Attributes: {} } })}\n`);
    paused = true;
    send('pause');
    await until('paused', () => model.project('shop')?.[0]?.state === 'paused');
    paused = false;
    send('unpause');
    await until('running after the lagging listings', () => model.project('shop')?.[0]?.state === 'running');
    model.stop();
  });
});
