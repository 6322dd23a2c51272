import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateSha256, createClusterCa, createNodeCertificate } from './cluster-ca.js';

describe('the cluster CA', () => {
  it('issues node certificates that it signed, naming the node and its address', async () => {
    const ca = await createClusterCa('tcluster');
    const node = await createNodeCertificate(ca, 'node1', ['10.0.0.1']);
    const caCert = new X509Certificate(ca.certPem);
    const nodeCert = new X509Certificate(node.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=Quorate cluster CA tcluster');
    expect(nodeCert.ca).toBe(false);
    expect(nodeCert.subject).toBe('CN=node1');
    expect(nodeCert.subjectAltName).toBe('DNS:node1, IP Address:10.0.0.1');
    expect(nodeCert.checkIssued(caCert)).toBe(true);
    expect(nodeCert.verify(caCert.publicKey)).toBe(true);
    expect(node.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(certificateSha256(node.certPem)).toBe(nodeCert.fingerprint256);
  });

  it('does not vouch for a certificate of another cluster', async () => {
    const ours = await createClusterCa('a');
    const theirs = await createClusterCa('b');
    const node = new X509Certificate((await createNodeCertificate(theirs, 'node1')).certPem);
    expect(node.verify(new X509Certificate(ours.certPem).publicKey)).toBe(false);
  });
});
