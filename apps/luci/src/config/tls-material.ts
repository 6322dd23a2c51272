// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 of the certificate (DER), colon-separated, as browsers show it. */
  readonly fingerprint: string;
  readonly selfSigned: boolean;
}

const validityDays = 825;
export const selfSignedFiles = { cert: 'console.crt', key: 'console.key' } as const;

/**
 * The console's HTTPS identity: the administrator's files when given, otherwise a self-signed
 * ECDSA P-256 certificate made at first start in `dir` (key mode 0600) and reused afterwards.
 */
export async function loadTlsMaterial(
  given: { readonly certFile: string; readonly keyFile: string } | null,
  dir: string,
  now: Date = new Date(),
): Promise<TlsMaterial> {
  if (given)
    return describe(readPem(given.certFile, '--cert'), readPem(given.keyFile, '--key'), false);
  return loadSelfSigned(dir, selfSignedFiles, 'server', now);
}

export const agentClientFiles = { cert: 'agent-client.crt', key: 'agent-client.key' } as const;

/**
 * The console's client certificate for the agents' console API (DESIGN.md §3): self-signed,
 * made once in `dir` (key 0600) and reused, so that the agents that pinned its fingerprint
 * after the agent password keep trusting this console across restarts.
 */
export function loadAgentClientIdentity(dir: string, now: Date = new Date()): Promise<TlsMaterial> {
  return loadSelfSigned(dir, agentClientFiles, 'client', now);
}

async function loadSelfSigned(
  dir: string,
  files: { readonly cert: string; readonly key: string },
  usage: 'server' | 'client',
  now: Date,
): Promise<TlsMaterial> {
  const certFile = join(dir, files.cert);
  const keyFile = join(dir, files.key);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const made = await makeSelfSigned(now, usage);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, made.key, { mode: 0o600 });
    writeFileSync(certFile, made.cert, { mode: 0o644 });
  }
  return describe(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8'), true);
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
}

function describe(cert: string, key: string, selfSigned: boolean): TlsMaterial {
  const der = Buffer.from(new x509.X509Certificate(cert).rawData);
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return { cert, key, selfSigned, fingerprint: hex.match(/../g)!.join(':') };
}

async function makeSelfSigned(
  now: Date,
  usage: 'server' | 'client',
): Promise<{ cert: string; key: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const host = hostname();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`Quorate console ${host}`] }],
    keys,
    notBefore: now,
    notAfter: new Date(now.getTime() + validityDays * 86_400_000),
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: host },
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
