// Child processes for bench/router.mjs: `upstream` (a dev server: small GETs, a 200 MB download, a
// WebSocket echo), `router` (the real router server, fed an overview naming that upstream as running) and
// `relay` (a bare TCP relay in its own process: the floor any proxy pays, with no HTTP parsed).
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { ROOT } from './lib.mjs';

const require = createRequire(import.meta.url);
const [, , role, arg] = process.argv;

if (role === 'upstream') {
  const chunk = Buffer.alloc(1 << 20, 120);
  const server = http.createServer((req, res) => {
    if (req.url === '/big') {
      const total = 200;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': total * chunk.length });
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
    res.end('ok');
  });
  const { wsServer } = require('playwright-core/lib/utilsBundle');
  new wsServer({ server }).on('connection', (s) => s.on('message', (m, binary) => s.send(m, { binary })));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
} else if (role === 'router') {
  const { startRouter } = require(`${ROOT}/dist/main/router/server.js`);
  const { OverviewFeed } = require(`${ROOT}/dist/main/router/feed.js`);
  const feed = new OverviewFeed();
  const router = await startRouter({ feed, port: 0 });
  const routes = [{ key: 'web', url: `http://app.bench.localhost:${router.port}`, web: true }];
  const instance = {
    id: 'bench/app',
    label: 'app',
    status: 'running',
    services: { web: { state: 'running', health: 'none' } },
    ports: { web: Number(arg) },
    bind: '127.0.0.1',
    routes,
  };
  feed.update({ instances: [instance] });
  console.log(router.port);
} else if (role === 'relay') {
  const server = net.createServer((socket) => {
    const to = net.connect(Number(arg), '127.0.0.1');
    socket.pipe(to).pipe(socket);
    const end = () => (socket.destroy(), to.destroy());
    socket.on('error', end).on('close', end);
    to.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
}
