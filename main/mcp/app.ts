import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppController } from '../api/controller/controllerTypes';
import { assertConfirmed } from '../api/controller/guards';
import {
  parseCall,
  type ApiHandlers,
  type CloneDataPlanView,
  type Overview,
  type StatsView,
} from '../shared/api/table';
import { AxiError } from '../shared/errors';
import { ENV_FILE } from '../core/project/instanceFiles';
import { instanceId, labelOf } from '../core/registry/instanceRef';
import type { InstanceRecord } from '../core/registry/record';
import type { Backend } from '../docker/lifecycle/backend';
import { checkoutTools, recentLogs, setupTool, type CheckoutTool } from './tools/checkoutTools';
import { type ToolContext } from './tools/toolContext';
import { compactResult } from './tools/compact';
import type { LiveScope } from './scope/liveScope';
import { METHOD_INFO } from './tools/methodInfo';
import { checkAgentSettings, checkArguments, scopedValue } from './scope/scopeArgs';
import { tableTools, type TableTool, type ToolSpec } from './tools/tableTools';
import { toolError } from './tools/toolErrors';

export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

export interface ResourceInfo {
  uri: string;
  name: string;
  description: string;
  mimeType: string;
}

/**
 * `axi mcp` without the SDK: the tools (the API table's, generated, and the checkout's own), the
 * resources, and the scope every call is checked against. The table's calls run through the same
 * controller handlers as the app's window and `axi serve`; results are minified and short unless
 * `verbose`, errors `{ code, message, … }` with the next step as a tool call (see toolErrors).
 */
export class McpApp {
  private readonly table = tableTools();
  private readonly checkout: CheckoutTool[];
  private controller?: Promise<AppController>;

  constructor(
    private readonly backend: Backend,
    readonly scope: LiveScope,
  ) {
    this.checkout = scope.all ? checkoutTools() : [setupTool(), ...checkoutTools()];
  }

  /** The tools in this scope: a scoped server leaves out those that reach beyond one repository. */
  listTools(): ToolSpec[] {
    const table = this.table.filter((t) => this.scope.all || METHOD_INFO[t.method].reach !== 'global');
    return [...this.checkout, ...table].map((t) => this.forScope(t));
  }

  /**
   * Under --all a tool's `name` is required. In a checkout it is not listed: the tools act on this
   * checkout's instance (the instructions say so); a `name` passed anyway is checked against the scope.
   */
  private forScope(t: ToolSpec): ToolSpec {
    const { name, description, inputSchema, annotations } = t;
    if (!('name' in inputSchema.properties)) return { name, description, inputSchema, annotations };
    const others = (inputSchema.required ?? []).filter((r) => r !== 'name');
    if (this.scope.all)
      return { name, description, inputSchema: { ...inputSchema, required: ['name', ...others] }, annotations };
    const { name: _n, ...properties } = inputSchema.properties;
    const scoped = { type: inputSchema.type, properties, ...(others.length ? { required: others } : {}) };
    return { name, description, inputSchema: scoped, annotations };
  }

  async callTool(name: string, input: Record<string, unknown> = {}): Promise<ToolResult> {
    try {
      await this.scope.ready();
      const checkout = this.checkout.find((t) => t.name === name);
      const value = checkout
        ? await checkout.run(this.context(), checkout.parse(input))
        : await this.runTable(name, input);
      return { content: [{ type: 'text', text: JSON.stringify(value) }] };
    } catch (err) {
      return { content: [{ type: 'text', text: JSON.stringify(toolError(err, !this.scope.all)) }], isError: true };
    }
  }

  private context(): ToolContext {
    return { backend: this.backend, scope: this.scope, controller: () => this.started() };
  }

  private async runTable(name: string, raw: Record<string, unknown>): Promise<unknown> {
    const tool: TableTool | undefined = this.table.find((t) => t.name === name);
    if (!tool) throw new AxiError('BAD_INPUT', `unknown tool ${JSON.stringify(name)}; tools/list names them`);
    const info = METHOD_INFO[tool.method];
    if (info.reach === 'global' && !this.scope.all)
      throw new AxiError('OUT_OF_SCOPE', `${name} acts beyond this checkout; start axi mcp --all to use it`);
    let input = raw;
    let who = '';
    let target: InstanceRecord | undefined;
    if (info.reach === 'instance') {
      const resolved = await this.scope.resolve(this.backend.service, raw.name);
      who = resolved.name;
      target = resolved.rec;
      input = { ...raw, name: who };
    }
    // Every argument naming an instance or a folder is in scope, not only name; some settings are a person's.
    await checkArguments(this.scope, this.backend, tool.method, input, target);
    checkAgentSettings(tool.method, input);
    const { handlers } = await this.started();
    const args = tool.parse(await this.latest(tool.method, handlers, input));
    if (info.confirm) assertConfirmed(who, typeof args.confirm === 'string' ? args.confirm : '', name);
    const call = parseCall(tool.method, tool.toArgs(args));
    let value = await (handlers[call.method] as (...a: unknown[]) => Promise<unknown>)(...call.args);
    if (tool.method === 'cloneDataPlan' && !this.scope.all) value = await this.scopedPlan(handlers, who, value);
    value = await scopedValue(this.scope, tool.method, value);
    return compactResult(tool.method, await this.filter(tool.method, value), args.verbose === true);
  }

  /** A plan's candidate sources in this scope only; a default the handler chose from another repository is replaced. */
  private async scopedPlan(handlers: ApiHandlers, target: string, value: unknown): Promise<unknown> {
    const plan = value as CloneDataPlanView;
    const shown = await Promise.all(
      plan.sources.map(async (s) => {
        const rec = await this.backend.service.find(s.id).catch(() => undefined);
        return rec ? this.scope.lists(rec) : false;
      }),
    );
    const sources = plan.sources.filter((_s, i) => shown[i]);
    if (plan.source === null || sources.some((s) => s.id === plan.source)) return { ...plan, sources };
    if (!sources[0]) return { ...plan, sources, source: null, pairs: [], unmatched: [] };
    return { ...(await handlers.cloneDataPlan(target, { source: sources[0].id })), sources };
  }

  /** "latest" where a snapshot id goes: restore's default (null), or delete_snapshot's newest id. */
  private async latest(method: string, handlers: ApiHandlers, input: Record<string, unknown>) {
    if (input.snapshot !== 'latest') return input;
    if (method === 'restoreInstance') return { ...input, snapshot: null };
    if (method !== 'deleteSnapshot') return input;
    const all = await handlers.listSnapshots(String(input.name));
    if (!all.length) throw new AxiError('NOT_FOUND', `${String(input.name)} has no snapshots`);
    return { ...input, snapshot: all[all.length - 1]!.id };
  }

  /** The controller, started on the first table call (tools/list never connects to the engine). */
  private started(): Promise<AppController> {
    return (this.controller ??= (async () => {
      // Loaded here: listing tools never pays for the controller's modules.
      const { setupController } =
        require('../api/controller/controller') as typeof import('../api/controller/controller');
      const c = setupController({ backend: this.backend, followWorktrees: false });
      await c.start();
      return c;
    })());
  }

  /** A scoped server's listings show only its repository's instances. */
  private async filter(method: string, value: unknown): Promise<unknown> {
    if (this.scope.all || (method !== 'getOverview' && method !== 'getStats')) return value;
    const ids = new Set((await this.inScope()).map(instanceId));
    if (method === 'getOverview') {
      // The window's worktree offers name other repositories' folders: not for a scoped server.
      const { worktreeOffers: _offers, ...o } = value as Overview;
      return { ...o, instances: o.instances.filter((i) => ids.has(i.id)) };
    }
    const s = value as StatsView;
    return { ...s, instances: Object.fromEntries(Object.entries(s.instances).filter(([id]) => ids.has(id))) };
  }

  private async inScope() {
    const records = await this.backend.service.records();
    const shown = await Promise.all(records.map((r) => this.scope.lists(r)));
    return records.filter((_r, i) => shown[i]);
  }

  async listResources(): Promise<ResourceInfo[]> {
    const records = await this.backend.service.records();
    return (await this.inScope()).flatMap((r) => {
      const label = labelOf(r, records);
      const base = `axi://instances/${instanceId(r)}`;
      return [
        {
          uri: `${base}/env`,
          name: `${label} ${ENV_FILE}`,
          description: `${path.join(r.folder, ENV_FILE)}`,
          mimeType: 'text/plain',
        },
        {
          uri: `${base}/logs`,
          name: `${label} logs`,
          description: 'the last 200 lines of its services',
          mimeType: 'text/plain',
        },
      ];
    });
  }

  async readResource(uri: string): Promise<{ uri: string; mimeType: string; text: string }> {
    const m = /^axi:\/\/instances\/(.+)\/(env|logs)$/.exec(uri);
    if (!m) throw new AxiError('NOT_FOUND', `no such resource: ${uri}`);
    const rec = await this.backend.service.find(m[1]!);
    if (!(await this.scope.lists(rec))) throw new AxiError('OUT_OF_SCOPE', `${uri} is outside this server's scope`);
    const text =
      m[2] === 'env'
        ? await readFile(path.join(rec.folder, ENV_FILE), 'utf8')
        : (await recentLogs(this.backend, rec, 200)).join('\n');
    return { uri, mimeType: 'text/plain', text };
  }

  close(): void {
    void this.controller?.then((c) => c.stop()).catch(() => undefined);
  }
}
