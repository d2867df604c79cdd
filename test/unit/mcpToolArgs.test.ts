import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AxiError } from '../../main/shared/errors';
import { compactResult } from '../../main/mcp/tools/compact';
import { tableTools } from '../../main/mcp/tools/tableTools';
import { toolError } from '../../main/mcp/tools/toolErrors';

const tool = (name: string) => tableTools().find((t) => t.name === name)!;

function refusal(fn: () => unknown): AxiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AxiError) return err;
    throw err;
  }
  assert.fail('not refused');
}

describe('axi mcp: arguments checked for an agent', () => {
  test('every bad field at once, by the path the agent wrote (not the method’s tuple index)', () => {
    const e = refusal(() => tool('set_worktree_policy').parse({ name: 'a', policy: { register: 'x', foo: 1 } }));
    assert.equal(e.code, 'BAD_INPUT');
    assert.deepEqual(
      e.details.fields?.map((f) => f.path),
      ['policy.register', 'policy.foo'],
    );
    assert.match(
      e.message,
      /^bad arguments for set_worktree_policy: policy\.register: expected \("auto" \| "ask" \| "off"\), got "x"; policy\.foo: not an argument this tool takes$/,
    );
    const reset = refusal(() => tool('reset_instance').parse({ name: 'a', snapshot: 'maybe' }));
    assert.deepEqual(reset.details.fields, [
      { path: 'snapshot', problem: 'expected boolean, got "maybe"' },
      { path: 'confirm', problem: 'required' },
    ]);
  });

  test('strings for booleans and numbers are taken by every tool; "latest" has its own schema entry', () => {
    assert.deepEqual(tool('reset_instance').parse({ name: 'a', snapshot: 'true', confirm: 'a' }), {
      name: 'a',
      snapshot: true,
      confirm: 'a',
    });
    assert.equal(tool('get_overview').parse({ verbose: 'false' }).verbose, false);
    assert.match(JSON.stringify(tool('restore_instance').inputSchema.properties.snapshot), /latest/);
    assert.deepEqual(tool('remove_instance').inputSchema.required, ['name', 'down', 'confirm']);
  });

  test('refusals say their next step as a tool call; the CLI’s words stay in the message it prints', () => {
    const e = new AxiError('IN_USE', 'x is running; stop it first (axi stop x), then copy data into it', {
      reason: 'x is running',
      fix: { action: 'stop', target: 'x' },
    });
    assert.deepEqual(toolError(e, true), {
      code: 'IN_USE',
      message: 'x is running; call stop_instance {"name":"x"} first, then this tool again',
      fix: { tool: 'stop_instance', arguments: { name: 'x' } },
    });
    assert.match(e.message, /axi stop x/);
    const busy = toolError(new AxiError('BUSY', 'x is busy (start)', { operation: 'start', since: 0 }), true);
    assert.deepEqual(busy, {
      code: 'BUSY',
      message: 'x is busy (start) since 1970-01-01T00:00:00.000Z; call this tool again once it ends',
      retryable: true,
      operation: 'start',
      since: '1970-01-01T00:00:00.000Z',
    });
    const setup = toolError(
      new AxiError('NOT_FOUND', 'm', { reason: 'r', fix: { action: 'setup', target: '/w' } }),
      false,
    );
    assert.deepEqual(setup.fix, { tool: 'register_folder', arguments: { dir: '/w' } });
  });

  test('a start’s result: the agent’s fields only, worst health first', () => {
    const view = {
      label: 'login',
      status: 'running',
      ports: { postgres: 5433 },
      urls: { DATABASE_URL: 'postgresql://…' },
      services: { postgres: { state: 'running', health: 'healthy' }, redis: { state: 'running', health: 'starting' } },
      busy: 'start',
      error: null,
      notes: ['already running: nothing to start'],
    };
    assert.deepEqual(compactResult('startInstance', view, false), {
      name: 'login',
      state: 'running',
      health: 'starting',
      ports: { postgres: 5433 },
      urls: { DATABASE_URL: 'postgresql://…' },
      notes: ['already running: nothing to start'],
    });
    assert.equal(compactResult('startInstance', view, true), view);
  });
});
