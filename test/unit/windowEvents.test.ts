import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { windowListeners } from '../../main/shared/api/windowListeners';
import { EventStreams } from '../../main/serve/eventStreams';

describe('the window learns of every overview, whenever it subscribes', () => {
  test('an overview pushed before the window subscribed is handed to it at once; other events are not', () => {
    const l = windowListeners();
    l.dispatch('overview', { tunnel: 'opening' });
    l.dispatch('overview', { tunnel: 'open' });
    l.dispatch('progress', { line: 'old' });
    const seen: unknown[] = [];
    const off = l.on('overview', (p) => seen.push(p));
    l.on('progress', (p) => seen.push(p));
    assert.deepEqual(seen, [{ tunnel: 'open' }]);
    l.dispatch('overview', { tunnel: 'off' });
    off();
    l.dispatch('overview', { tunnel: 'gone' });
    assert.deepEqual(seen, [{ tunnel: 'open' }, { tunnel: 'off' }]);
  });

  test('an overview broadcast while a stream reads its first is the one that stream starts with', async () => {
    const streams = new EventStreams();
    const server = http.createServer((_req, res) => {
      void streams.open(res, async () => {
        const first = { tunnel: 'opening' };
        streams.broadcast('overview', { tunnel: 'open' }); // the keeper's change lands meanwhile
        return first;
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port }, (res) => {
            res.once('data', (d: Buffer) => (res.destroy(), resolve(d.toString('utf8'))));
          })
          .once('error', reject);
      });
      assert.equal(body, `event: overview\ndata: {"tunnel":"open"}\n\n`);
    } finally {
      streams.closeAll();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
