/**
 * Loaded first by each `*.v2.test.ts`: the suites it then loads run with Compose v2
 * (`docker compose`, from the private DOCKER_CONFIG that setup-machine.sh fills).
 */
const config = process.env.AXI_COMPOSE_V2_CONFIG;
if (!config) throw new Error('AXI_COMPOSE_V2_CONFIG is not set: run the tests with npm test');
process.env.AXI_COMPOSE = 'v2';
process.env.DOCKER_CONFIG = config;
