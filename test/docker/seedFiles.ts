import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** The seed's ports for slot `n` (its setup-env.sh: base + N + offset). */
export function seedPorts(n: number): SeedPorts {
  return {
    postgres: 5432 + n + 1,
    redis: 6379 + n + 2,
    pgadmin: 5050 + n + 1,
    api: 3333 + n + 1,
    web: 4200 + n,
    admin: 4201 + n,
  };
}

export interface SeedPorts {
  postgres: number;
  redis: number;
  pgadmin: number;
  api: number;
  web: number;
  admin: number;
}

/**
 * The seed's `setup-env.sh` output, as its guide prints it (`docker-compose.instance.yml` and `.env.local` for
 * `auth-fix`, pgladmin typo included), for another suffix and ports.
 */
export function writeSeedFiles(
  folder: string,
  suffix: string,
  ports: SeedPorts,
): { name: string; containers: string[]; volumes: string[] } {
  const name = suffix.replace(/-/g, '_');
  const compose = `# docker-compose.instance.yml
# Instance-specific Docker Compose file for: ${suffix}
# Generated on: 2025-09-13 09:15:30 +07

services:
  postgres:
    image: postgres:15-alpine
    container_name: aegisx_${name}_postgres
    environment:
      POSTGRES_USER: postgres
      POSTGRES_PASSWORD: postgres
      POSTGRES_DB: aegisx_db
    ports:
      - '${ports.postgres}:5432'
    volumes:
      - ${name}_postgres_data:/var/lib/postgresql/data
    healthcheck:
      test: ['CMD-SHELL', 'pg_isready -U postgres']
      interval: 5s
      timeout: 5s
      retries: 5

  redis:
    image: redis:7-alpine
    container_name: aegisx_${name}_redis
    ports:
      - '${ports.redis}:6379'
    command: redis-server --appendonly yes
    volumes:
      - ${name}_redis_data:/data
    healthcheck:
      test: ['CMD', 'redis-cli', 'ping']
      interval: 5s
      timeout: 5s
      retries: 5

  pgadmin:
    image: dpage/pgadmin4:latest
    container_name: aegisx_${name}_pgladmin
    environment:
      PGADMIN_DEFAULT_EMAIL: admin@aegisx.local
      PGLADMIN_DEFAULT_PASSWORD: admin
    ports:
      - '${ports.pgadmin}:80'
    depends_on:
      - postgres

volumes:
  ${name}_postgres_data:
  ${name}_redis_data:
`;
  const env = `# Instance configuration for: ${suffix}
INSTANCE_NAME=${name}
FOLDER_NAME=${path.basename(folder)}

# Database Configuration
DATABASE_URL=postgresql://postgres:postgres@localhost:${ports.postgres}/aegisx_db
POSTGRES_HOST=localhost
POSTGRES_PORT=${ports.postgres}
POSTGRES_DATABASE=aegisx_db

# Redis Configuration
REDIS_URL=redis://localhost:${ports.redis}
REDIS_HOST=localhost
REDIS_PORT=${ports.redis}

# API Configuration
API_PORT=${ports.api}
API_URL=http://localhost:${ports.api}

# Frontend Configuration
WEB_PORT=${ports.web}
ADMIN_PORT=${ports.admin}
WEB_URL=http://localhost:${ports.web}
ADMIN_URL=http://localhost:${ports.admin}

# PgAdmin Configuration
PGADMIN_PORT=${ports.pgadmin}

# Docker Configuration
POSTGRES_CONTAINER=aegisx_${name}_postgres
REDIS_CONTAINER=aegisx_${name}_redis
PGADMIN_CONTAINER=aegisx_${name}_pgadmin
POSTGRES_VOLUME=${name}_postgres_data
REDIS_VOLUME=${name}_redis_data
`;
  writeFileSync(path.join(folder, 'docker-compose.instance.yml'), compose);
  writeFileSync(path.join(folder, '.env.local'), env);
  return {
    name,
    containers: ['postgres', 'redis', 'pgladmin'].map((s) => `aegisx_${name}_${s}`),
    volumes: ['postgres', 'redis'].map((s) => `${name}_${s}_data`),
  };
}
