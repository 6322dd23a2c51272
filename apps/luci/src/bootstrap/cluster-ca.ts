// The cluster CA the console makes when it creates a cluster, and the node certificates it
// issues from it (DESIGN.md §3). luci may not import the agent (DESIGN.md §1), so this uses the
// same library and the same profile as ricci's `quorate cert` (apps/ricci/src/tls/certificates.ts):
// ECDSA P-256, CA ten years, nodes five, the node name as CN and in the subject alternative names,
// server and client use. The two must stay alike: the agents judge peers by exactly this profile.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
const CA_VALIDITY_DAYS = 3650;
const NODE_VALIDITY_DAYS = 1825;

/** A certificate and its private key, both PEM. The key is a secret: never log it. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export async function createClusterCa(clusterName: string, now = new Date()): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`Quorate cluster CA ${clusterName}`] }],
    keys,
    notBefore: now,
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/** A node's certificate: CN = its cluster.conf name; `altNames` add addresses or DNS names. */
export async function createNodeCertificate(
  ca: PemPair,
  nodeName: string,
  altNames: readonly string[] = [],
  now = new Date(),
): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(ca.keyPem),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await generateKeys();
  const names = [...new Set([nodeName, ...altNames])];
  const cert = await x509.X509CertificateGenerator.create({
    subject: [{ CN: [nodeName] }],
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notBefore: now,
    notAfter: new Date(now.getTime() + NODE_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(
        names.map((name) => ({ type: isIpAddress(name) ? 'ip' : 'dns', value: name })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/** SHA-256 of the certificate in Node's `fingerprint256` form, the one luci pins agents by. */
export function certificateSha256(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

function isIpAddress(name: string): boolean {
  return /^[\d.]+$/.test(name) || name.includes(':');
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}
