/**
 * The router's local CA, made once by `axi router tls on`: `$AXI_HOME/router/ca.key` (0600) and
 * `ca.pem`. A leaf certificate for each name is issued as a browser asks for it (SNI) and kept in
 * memory. Keys come from node's crypto (native and fast); node cannot sign X.509 certificates, so
 * node-forge does that (maintained, no dependencies, what the `selfsigned` and `mkcert` npm tools use).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import type http from 'node:http';
import path from 'node:path';
import tls from 'node:tls';
import type * as Forge from 'node-forge';
import { AxiError } from '../shared/errors';

export interface CaFiles {
  dir: string;
  cert: string;
  key: string;
}

export function caFiles(home: string): CaFiles {
  const dir = path.join(home, 'router');
  return { dir, cert: path.join(dir, 'ca.pem'), key: path.join(dir, 'ca.key') };
}

type ForgeLib = typeof Forge;
/** Loaded with HTTPS only: no other command pays for it. */
const loadForge = async (): Promise<ForgeLib> => (await import('node-forge')).default;

function rsaPem(): { pub: string; key: string } {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pub: k.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    key: k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

function signed(
  f: ForgeLib,
  subject: string,
  pub: string,
  issuer: { cert?: Forge.pki.Certificate; key: string },
  ext: object[],
  years: number,
): string {
  const cert = f.pki.createCertificate();
  cert.publicKey = f.pki.publicKeyFromPem(pub);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + years * 365 * 86_400_000);
  const attrs = [
    { name: 'commonName', value: subject },
    { name: 'organizationName', value: 'AegisX Instances' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : attrs);
  cert.setExtensions(ext);
  cert.sign(f.pki.privateKeyFromPem(issuer.key), f.md.sha256.create());
  return f.pki.certificateToPem(cert);
}

/**
 * nameConstraints (RFC 5280 4.2.1.10), critical: the CA may sign only `localhost` and names under it, so a
 * trusted CA whose key leaked still cannot vouch for any other site. forge reads this extension but does
 * not write it, so its value is given as ASN.1.
 */
function localhostOnly(f: ForgeLib): object {
  const { asn1 } = f;
  const subtree = (dns: string) =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, dns), // dNSName
    ]);
  const permitted = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [subtree('localhost'), subtree('.localhost')]);
  return {
    id: '2.5.29.30',
    name: 'nameConstraints',
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [permitted]),
  };
}

/** Makes the CA unless it exists; says whether it made it. The key is written 0600 in a 0700 folder. */
export async function ensureCa(home: string): Promise<{ files: CaFiles; created: boolean }> {
  const files = caFiles(home);
  if (
    await readFile(files.cert).then(
      () => true,
      () => false,
    )
  )
    return { files, created: false };
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  const { pub, key } = rsaPem();
  const host = os.hostname();
  const ext: object[] = [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  const f = await loadForge();
  ext.push(localhostOnly(f));
  const cert = signed(f, `AegisX Instances local CA (${host})`, pub, { key }, ext, 10);
  await writeFile(files.key, key, { mode: 0o600, flag: 'wx' });
  await writeFile(files.cert, cert, { mode: 0o644, flag: 'wx' });
  return { files, created: true };
}

async function readCa(home: string): Promise<{ cert: string; key: string }> {
  const f = caFiles(home);
  try {
    return { cert: await readFile(f.cert, 'utf8'), key: await readFile(f.key, 'utf8') };
  } catch {
    throw new AxiError('NOT_FOUND', `the router's CA is missing (${f.cert}); make it with: axi router tls on`);
  }
}

/** A leaf certificate for one name, signed by the CA. */
export function leafFor(
  f: ForgeLib,
  host: string,
  ca: { cert: string; key: string },
  leaf: { pub: string; key: string },
) {
  const caCert = f.pki.certificateFromPem(ca.cert);
  const ext = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
  ];
  return signed(f, host, leaf.pub, { cert: caCert, key: ca.key }, ext, 1);
}

/** Names with a certificate kept; more are issued again on demand. */
export const MAX_CONTEXTS = 256;

/**
 * The name a leaf is issued for: the SNI name when it is `localhost` or under `.localhost` (all the router
 * serves), else `localhost`: a trusted CA must never sign `www.google.com` because a client asked.
 */
export function leafHost(sni: string): string {
  const name = sni.toLowerCase().replace(/\.$/, '');
  const valid = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(name);
  return valid && (name === 'localhost' || name.endsWith('.localhost')) ? name : 'localhost';
}

/** The HTTPS server that shares the router's port: a certificate per name, issued on first use. */
export async function secureServer(home: string): Promise<(handler: http.RequestListener) => https.Server> {
  const ca = await readCa(home);
  const f = await loadForge();
  const leaf = rsaPem(); // one key for all names: they live and die with this process
  const contexts = new Map<string, tls.SecureContext>();
  const contextFor = (name: string) => {
    const host = leafHost(name);
    let ctx = contexts.get(host);
    if (!ctx) {
      ctx = tls.createSecureContext({ key: leaf.key, cert: `${leafFor(f, host, ca, leaf)}${ca.cert}` });
      contexts.set(host, ctx);
      // Oldest first out: a client making up names cannot grow this without bound.
      if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    }
    return ctx;
  };
  // Without SNI (an IP address), the certificate for `localhost`.
  const dflt = { key: leaf.key, cert: `${leafFor(f, 'localhost', ca, leaf)}${ca.cert}` };
  return (handler) => https.createServer({ ...dflt, SNICallback: (name, cb) => cb(null, contextFor(name)) }, handler);
}
