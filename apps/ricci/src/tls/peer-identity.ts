import type { PeerCertificate } from 'node:tls';

/**
 * The node a verified peer certificate names: its subject common name, which `quorate cert
 * node` sets to the node's name. Null when the certificate names no single node.
 */
export function nodeNameOf(cert: PeerCertificate | null | undefined): string | null {
  const commonName = cert?.subject?.CN;
  // A subject with several CNs arrives as an array: such a certificate names no one node.
  return typeof commonName === 'string' && commonName !== '' ? commonName : null;
}
