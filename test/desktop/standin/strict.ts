/**
 * The stand-in's one rule: an object answers only what it implements. A read
 * of anything else throws and is remembered (a caller may swallow the throw),
 * so new use of an Electron API fails the desktop test until the stand-in
 * learns it, following electron.d.ts.
 */

/** Keys runtimes probe on any object (module interop, promises, inspection): not Electron API use. */
const PROBES = new Set(['then', '__esModule', 'toJSON', 'inspect', 'constructor', 'prototype']);

const misses: string[] = [];

/** The reads of unimplemented API so far (the scenario asserts there were none). */
export function unimplementedReads(): readonly string[] {
  return misses;
}

/** `impl` behind a Proxy that throws on any key it does not have (own or inherited). */
export function strict<T extends object>(name: string, impl: T): T {
  return new Proxy(impl, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key in target) return Reflect.get(target, key, receiver) as unknown;
      if (PROBES.has(key)) return undefined;
      const msg = `electron stand-in: ${name}.${key} is not implemented (add it to test/desktop/standin, following electron.d.ts)`;
      misses.push(msg);
      throw new Error(msg);
    },
  });
}

/**
 * Electron's IPC copies values with the structured clone algorithm: a function
 * or a class instance's methods do not cross. Node's structuredClone is that
 * algorithm (it throws DataCloneError where Electron's IPC would).
 */
export function ipcClone<T>(value: T): T {
  return structuredClone(value);
}

/** A class behind strict(): its statics and its instances answer only what they implement. */
export function strictClass<C extends new (...args: any[]) => object>(name: string, C: C): C {
  return strict(name, new Proxy(C, { construct: (T, args: unknown[]) => strict(name, new T(...args)) }));
}
