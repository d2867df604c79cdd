import type { InstanceView } from '../../main/shared/api/table';

/** An instance as the window receives it: not created, nothing busy, the AegisX ports of slot 1. */
export function instanceView(name: string, extra: Partial<InstanceView> = {}): InstanceView {
  return {
    name,
    id: `aegisx/${name}`,
    label: name,
    folder: `/src/aegisx-starter-${name}`,
    project: `aegisx_${name}`,
    main: false,
    slot: 1,
    template: null,
    branch: 'main',
    repository: null,
    ports: { postgres: 5466, redis: 6414, api: 3367, web: 4233, admin: 4234, pgadmin: 5084 },
    bind: '127.0.0.1',
    urls: {},
    files: [],
    volumes: [`${name}_postgres_data`],
    status: 'not-created',
    services: {},
    busy: null,
    busySince: null,
    since: null,
    listening: [],
    oldPorts: {},
    error: null,
    gone: false,
    ...extra,
  };
}
