import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClusterCa, createNodeCert } from './certificates.js';

describe('cluster certificates', () => {
  it('issues a node certificate that verifies against its CA and names the node', async () => {
    const ca = await createClusterCa({ clusterName: 'alpha' });
    const node = await createNodeCert({
      nodeName: 'node1',
      altNames: ['node1-alt', '10.0.0.1'],
      ca,
    });
    const caCert = new X509Certificate(ca.certPem);
    const nodeCert = new X509Certificate(node.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=Quorate cluster CA alpha');
    expect(nodeCert.ca).toBe(false);
    expect(nodeCert.subject).toBe('CN=node1');
    expect(nodeCert.checkIssued(caCert)).toBe(true);
    expect(nodeCert.verify(caCert.publicKey)).toBe(true);
    expect(nodeCert.subjectAltName).toBe('DNS:node1, DNS:node1-alt, IP Address:10.0.0.1');
    expect(nodeCert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(node.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('issues nothing another CA would vouch for', async () => {
    const ca = await createClusterCa({ clusterName: 'alpha' });
    const other = await createClusterCa({ clusterName: 'beta' });
    const node = await createNodeCert({ nodeName: 'node1', ca: other });
    const nodeCert = new X509Certificate(node.certPem);
    expect(nodeCert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(false);
  });
});
