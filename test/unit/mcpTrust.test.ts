import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { notTrusted } from '../../main/docker/compose/hostAccess';
import { tableTools } from '../../main/mcp/tools/tableTools';
import { toolError } from '../../main/mcp/tools/toolErrors';

/** An agent never accepts what a compose file reaches on the host: it is told to ask a person for `axi trust`. */
describe('MCP and host access', () => {
  const refusal = notTrusted('hostile', '/src/hostile', {
    file: '/src/hostile/docker-compose.instance.yml',
    items: [{ service: 'app', key: 'volumes', value: '/etc (a host folder outside the checkout)' }],
  });

  test('no tool reads or accepts host access (the window’s hostAccess/trustHostAccess are not tools)', () => {
    const names = tableTools().map((t) => t.name);
    assert.ok(names.includes('start_instance'), names.join());
    for (const n of names) assert.doesNotMatch(n, /trust|host_access/, n);
  });

  test('a refused start names what it reaches and tells the agent to ask a person to run axi trust', () => {
    for (const scoped of [true, false]) {
      const e = toolError(refusal, scoped);
      assert.equal(e.code, 'NOT_TRUSTED');
      assert.match(String(e.message), /reaches the host \(app: volumes \/etc /);
      assert.match(String(e.message), /an agent cannot accept this: ask the person .* run axi trust \/src\/hostile/);
      assert.equal(e.fix, undefined, 'a tool call offered to accept it');
    }
  });

  test('the CLI’s words name axi trust too (exit 2)', () => {
    assert.equal(refusal.exitCode, 2);
    assert.match(refusal.message, /accept it with: axi trust \/src\/hostile \(or axi up hostile --yes\)$/);
  });
});
