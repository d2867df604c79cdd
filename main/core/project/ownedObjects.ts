import { isList, isMap } from '../compose/yamlValues';

/**
 * The volumes and networks Compose creates for an instance file (top-level, not external), and its default network
 * where a service uses it: what carries this registry's ownership labels, whatever made the file (the built-in
 * stack, a template, `--from`). Cleanup and the "is it ours" rule then know them.
 */
export function createdObjects(doc: {
  services?: unknown;
  volumes?: unknown;
  networks?: unknown;
}): ['volumes' | 'networks', string][] {
  const out: ['volumes' | 'networks', string][] = [];
  for (const kind of ['volumes', 'networks'] as const) {
    const tops = doc[kind];
    for (const [key, def] of Object.entries(isMap(tops) ? tops : {}))
      if (!(isMap(def) && def.external)) out.push([kind, key]);
  }
  const nets = isMap(doc.networks) ? doc.networks : {};
  const usesDefault = Object.values(isMap(doc.services) ? doc.services : {}).some(
    (s) => isMap(s) && s.networks === undefined && s.network_mode === undefined,
  );
  if (usesDefault && !('default' in nets)) out.push(['networks', 'default']);
  return out;
}

/** `labels` (a map or a `KEY=value` list, as Compose takes both) with ours added, theirs of the same key replaced. */
export function withLabels(labels: unknown, ours: Readonly<Record<string, string>>): unknown {
  if (isList(labels))
    return [
      ...labels.filter((l) => !Object.keys(ours).some((k) => String(l).startsWith(`${k}=`))),
      ...Object.entries(ours).map(([k, v]) => `${k}=${v}`),
    ];
  return { ...(isMap(labels) ? labels : {}), ...ours };
}

/** A template's volumes and networks with this registry's labels; its comments and layout kept. */
export function labelTemplate(doc: import('yaml').Document, labels: Record<string, string>): string {
  const js = doc.toJS() as Record<string, unknown>;
  for (const [kind, key] of createdObjects(js)) {
    const tops = js[kind];
    const def = isMap(tops) ? tops[key] : undefined;
    if (isMap(def)) doc.setIn([kind, key, 'labels'], doc.createNode(withLabels(def.labels, labels)));
    else doc.setIn([kind, key], doc.createNode({ labels }));
  }
  return doc.toString({ lineWidth: 0 });
}
