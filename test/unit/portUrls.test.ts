import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { portFactsOf, portKind, portLinks } from '../../main/core/instances/records/portUrls';

/** Issue 23, point 5: every published port with its scheme; http only for HTTP. */
describe('port URLs by kind', () => {
  test('a compose stack: http for the web server, postgresql:// with the credentials it writes out, plain otherwise', () => {
    const doc = {
      services: {
        web: { image: 'nginx:alpine', ports: ['127.0.0.1:8168:80'] },
        db: {
          image: 'postgres:15-alpine',
          environment: { POSTGRES_PASSWORD: 'secret', POSTGRES_DB: 'shop' },
          ports: ['127.0.0.1:5528:5432'],
        },
        cache: { image: 'redis:7-alpine', environment: ['REDIS_PASSWORD=${REDIS_PASSWORD}'], ports: ['6480:6379'] },
        mqtt: { image: 'eclipse-mosquitto:2', ports: ['1883:1883'] },
      },
    };
    const links = portLinks({ web: 8168, db: 5528, cache: 6480, mqtt: 1883 }, portFactsOf(doc, {}));
    assert.deepEqual(
      links.map((l) => [l.name, l.url]),
      [
        ['WEB_URL', 'http://localhost:8168'],
        ['DB_URL', 'postgresql://postgres:secret@localhost:5528/shop'],
        ['CACHE_URL', 'redis://localhost:6480'],
        ['MQTT_URL', 'localhost:1883'],
      ],
    );
  });

  test('a password from a variable is never put in the URL', () => {
    const doc = {
      services: { db: { image: 'postgres:16', environment: ['POSTGRES_PASSWORD=${PW}'], ports: ['5433:5432'] } },
    };
    assert.equal(portLinks({ db: 5433 }, portFactsOf(doc, {}))[0]!.url, 'postgresql://localhost:5433');
  });

  test('the AegisX stack keeps its names: DATABASE_URL with its credentials, REDIS_URL, http for the rest', () => {
    const links = portLinks({ postgres: 5528, redis: 6476, web: 4295 }, {});
    assert.deepEqual(
      links.map((l) => [l.name, l.kind]),
      [
        ['DATABASE_URL', 'postgres'],
        ['REDIS_URL', 'redis'],
        ['WEB_URL', 'http'],
      ],
    );
    assert.equal(links[0]!.url, 'postgresql://postgres:postgres@localhost:5528/aegisx_db');
  });

  test('kinds: by image, by container port, by service name; https for 443', () => {
    assert.equal(portKind('ghcr.io/acme/postgis:3', 5433, 'gis'), 'postgres');
    assert.equal(portKind('valkey/valkey:8', 7000, 'kv'), 'redis');
    assert.equal(portKind('traefik:3', 443, 'proxy'), 'https');
    assert.equal(portKind('node:22', 3000, 'dev'), 'http');
    assert.equal(portKind('acme/thing', 7777, 'frontend'), 'http');
    assert.equal(portKind('acme/thing', 7777, 'worker'), 'plain');
  });
});
