// @peculiar/x509 resolves its algorithm registry through tsyringe, which needs the Reflect
// metadata API; it must be loaded before the library.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * The cluster's certificate authority and the node certificates it issues (DESIGN.md §3).
 * Keys are ECDSA P-256: small, fast to make, and accepted by every TLS stack. A node
 * certificate's common name is the node's name as cluster.conf spells it: the transport
 * admits a peer by that name and nothing else.
 */
x509.cryptoProvider.set(webcrypto);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
export const CA_VALIDITY_DAYS = 3650;
export const NODE_VALIDITY_DAYS = 1825;

/** A certificate and its private key, both PEM. */
export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CaOptions {
  readonly clusterName: string;
  readonly now?: Date;
}

export async function createClusterCa(options: CaOptions): Promise<PemPair> {
  const keys = await generateKeys();
  const notBefore = options.now ?? new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ CN: [`Quorate cluster CA ${options.clusterName}`] }],
    keys,
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_VALIDITY_DAYS * DAY_MS),
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

export interface NodeCertOptions {
  readonly nodeName: string;
  /** Further DNS names or IP addresses the node answers on (its `altname`, addresses). */
  readonly altNames?: readonly string[];
  readonly ca: PemPair;
  readonly now?: Date;
}

/** A certificate for one node, good as both TLS server and client (peers dial each other). */
export async function createNodeCert(options: NodeCertOptions): Promise<PemPair> {
  const caCert = new x509.X509Certificate(options.ca.certPem);
  const caKey = await importKey(options.ca.keyPem);
  const keys = await generateKeys();
  const notBefore = options.now ?? new Date();
  const names = [options.nodeName, ...(options.altNames ?? [])];
  const cert = await x509.X509CertificateGenerator.create({
    subject: [{ CN: [options.nodeName] }],
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notBefore,
    notAfter: new Date(notBefore.getTime() + NODE_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(names.map(generalName)),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

function generalName(name: string): x509.JsonGeneralName {
  const isIp = /^[\d.]+$/.test(name) || name.includes(':');
  return { type: isIp ? 'ip' : 'dns', value: name };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}
