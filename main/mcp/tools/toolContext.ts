import type { AppController } from '../../api/controller/controllerTypes';
import type { Backend } from '../../docker/lifecycle/backend';
import type { LiveScope } from '../scope/liveScope';

/** What a checkout tool works with: the engine, the scope, and the controller (started on first use). */
export interface ToolContext {
  backend: Backend;
  scope: LiveScope;
  controller(): Promise<AppController>;
}
