import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { usingLine, usingSentence } from '../../main/core/instances/setup/stackChoice';

type Rec = Parameters<typeof usingSentence>[0];

/** What setup says it made an instance from: the CLI's line, and the window's sentence (issue 23, point 5). */
describe('what an instance was made from, said in the CLI and in the window', () => {
  const own = { source: 'compose', from: ['docker-compose.yml'] } as Rec;

  test('its own compose file: "Using its own docker-compose.yml (web, db)", chosen or not, nothing appended', () => {
    assert.equal(usingSentence(own, ['web', 'db'], 'chosen'), 'Using its own docker-compose.yml (web, db)');
    assert.equal(
      usingSentence(own, ['web', 'db'], 'its own compose file'),
      'Using its own docker-compose.yml (web, db)',
    );
    // The CLI keeps its line, with the other choice's flag.
    assert.equal(
      usingLine(own, ['web', 'db'], 'its own compose file'),
      'using docker-compose.yml (2 services: web, db); for the AegisX stack instead: --template aegisx',
    );
  });

  test('a reason that tells something is kept; the AegisX stack and templates by name', () => {
    assert.equal(
      usingSentence({ source: 'aegisx' } as Rec, ['postgres', 'redis', 'pgadmin'], 'as its main checkout /src/shop'),
      'Using the AegisX stack (postgres, redis, pgadmin): as its main checkout /src/shop',
    );
    assert.equal(
      usingSentence({ source: 'aegisx' } as Rec, ['postgres'], 'chosen'),
      'Using the AegisX stack (postgres)',
    );
    assert.equal(usingSentence({ template: 'lamp' }, []), 'Using template lamp');
    assert.equal(
      usingSentence(
        { source: 'compose', from: ['compose.yaml', 'compose.override.yml'] } as Rec,
        ['web'],
        'the repository config says so',
      ),
      'Using compose.yaml + compose.override.yml (web): the repository config says so',
    );
  });
});
