import { describe, expect, it } from 'vitest';
import {
  type ClusterStatus,
  ControlLineReader,
  type ControlRequest,
  type ControlResponse,
  type ControlResult,
  controlSocketPath,
  decodeControlRequest,
  decodeControlResponse,
  encodeControlFrame,
} from './control-messages.js';

const status: ClusterStatus = {
  cluster: {
    name: 'tcluster',
    id: 22265,
    generation: 3,
    configVersion: 5,
    agentVersion: '1.0.0',
    twoNode: false,
  },
  quorum: { quorate: true, totalVotes: 3, expectedVotes: 3, quorum: 2, leader: 'node1' },
  local: { name: 'node2', nodeId: 2, votes: 1, membership: 'member', addresses: ['10.0.0.2'] },
  members: [
    {
      name: 'node1',
      nodeId: 1,
      votes: 1,
      online: true,
      local: false,
      estranged: false,
      rgmanager: true,
      incarnation: 4,
      joinedMs: 1_449_741_513_000,
      addresses: ['10.0.0.1'],
    },
  ],
  resourceManager: { running: true, locked: false },
  services: [
    {
      id: 'service:webservice',
      state: 'started',
      owner: 'node1',
      lastOwner: null,
      frozen: false,
      partial: false,
      restarts: 0,
      lastTransitionMs: 1_449_741_513_000,
    },
  ],
};

function refusal(line: string, maxBytes?: number) {
  const decoded = decodeControlRequest(line, maxBytes);
  if (decoded.ok) throw new Error('expected a refusal');
  return { code: decoded.error.code, message: decoded.error.message, id: decoded.id };
}

describe('control frames', () => {
  it('round-trip a relocation request and a status response, one line each', () => {
    const request: ControlRequest = {
      version: 1,
      id: 7,
      type: 'action',
      action: {
        type: 'rm',
        request: { kind: 'relocate', service: 'service:webservice', target: 'node1' },
      },
    };
    const line = encodeControlFrame(request);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(decodeControlRequest(line.trimEnd())).toEqual({ ok: true, frame: request });
    const response: ControlResponse = { version: 1, id: 7, type: 'status', status };
    expect(decodeControlResponse(encodeControlFrame(response).trimEnd())).toEqual({
      ok: true,
      frame: response,
    });
  });

  it('carries every result shape, and refuses a config result that mixes the two', () => {
    const results: ControlResult[] = [
      { type: 'rm', code: -9, message: 'Operation requires quorum', owner: null },
      { type: 'rm', code: 0, message: 'Success', owner: null, locked: true },
      { type: 'node', ok: false, message: 'not fenced' },
      { type: 'fence-ack', ok: true, message: '' },
      { type: 'config-update', accepted: true, previousVersion: 5, version: 6 },
      { type: 'config-update', accepted: false, rule: 'not-quorate', message: 'no' },
    ];
    for (const result of results) {
      const frame: ControlResponse = { version: 1, id: 2, type: 'result', result };
      expect(decodeControlResponse(encodeControlFrame(frame).trimEnd())).toEqual({
        ok: true,
        frame,
      });
    }
    const mixed = { type: 'config-update', accepted: true, rule: 'not-quorate', message: 'no' };
    const decoded = decodeControlResponse(
      JSON.stringify({ version: 1, id: 2, type: 'result', result: mixed }),
    );
    expect(decoded.ok).toBe(false);
  });

  it('refuses an oversized frame before parsing it', () => {
    const line = encodeControlFrame({ version: 1, id: 1, type: 'status' }).trimEnd();
    expect(refusal(`${line}${' '.repeat(50)}`, line.length + 10)).toEqual({
      code: 'CONTROL_FRAME_TOO_LARGE',
      message: `/: frame of ${line.length + 50} bytes is over the ${line.length + 10}-byte limit`,
      id: null,
    });
  });

  it('refuses text that is not JSON', () => {
    expect(refusal('{"version":1,')).toEqual({
      code: 'CONTROL_FRAME_NOT_JSON',
      message: '/: the frame is not JSON',
      id: null,
    });
  });

  it('names the field and the rule of a malformed request, and keeps its id', () => {
    const bad = JSON.stringify({
      version: 1,
      id: 9,
      type: 'action',
      action: { type: 'node', request: { kind: 'expected', votes: 0 } },
    });
    const refused = refusal(bad);
    expect(refused.code).toBe('CONTROL_FRAME_INVALID');
    expect(refused.id).toBe(9);
    expect(refused.message).toMatch(/^\/action\/request\/votes: /);
    expect(refusal(JSON.stringify({ version: 1, id: 3, type: 'status', extra: 1 })).code).toBe(
      'CONTROL_FRAME_INVALID',
    );
    const emptyConfig = JSON.stringify({
      version: 1,
      id: 4,
      type: 'action',
      action: { type: 'config-update', text: '' },
    });
    expect(refusal(emptyConfig).message).toMatch(/^\/action\/text: /);
  });

  it('refuses a version this side does not speak', () => {
    expect(refusal(JSON.stringify({ version: 2, id: 5, type: 'status' }))).toEqual({
      code: 'CONTROL_VERSION_UNSUPPORTED',
      message: '/version: version 2 is not one this side speaks (1)',
      id: 5,
    });
  });

  it('checks what the agent answers too: a status without quorum is invalid', () => {
    const { quorum: _dropped, ...partial } = status;
    const decoded = decodeControlResponse(
      JSON.stringify({ version: 1, id: 1, type: 'status', status: partial }),
    );
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.message).toMatch(/^\/status\/quorum: /);
  });

  it('takes the socket path from QUORATE_SOCKET, else /run/quorate/ricci.sock', () => {
    expect(controlSocketPath({})).toBe('/run/quorate/ricci.sock');
    expect(controlSocketPath({ QUORATE_SOCKET: '/tmp/x.sock' })).toBe('/tmp/x.sock');
  });
});

describe('ControlLineReader', () => {
  it('joins lines split across chunks, including multi-byte characters', () => {
    const reader = new ControlLineReader(100);
    expect(reader.push('{"a":"n')).toEqual([]);
    expect(reader.push('ødé"}\n{"b"')).toEqual([{ ok: true, text: '{"a":"nødé"}' }]);
    expect(reader.push(':1}\n\n')).toEqual([
      { ok: true, text: '{"b":1}' },
      { ok: true, text: '' },
    ]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('drops an oversized line without holding it, reports it once, then reads on', () => {
    const reader = new ControlLineReader(10);
    expect(reader.push('x'.repeat(8))).toEqual([]);
    expect(reader.push('y'.repeat(8))).toEqual([]);
    expect(reader.push('z'.repeat(1000))).toEqual([]);
    expect(reader.pendingBytes).toBe(1016);
    expect(reader.push('z\n{"ok":1}\n')).toEqual([
      { ok: false, bytes: 1017 },
      { ok: true, text: '{"ok":1}' },
    ]);
  });

  it('counts bytes, not characters, against the limit', () => {
    const reader = new ControlLineReader(4);
    // Two characters, six bytes.
    expect(reader.push('€€\n')).toEqual([{ ok: false, bytes: 6 }]);
    expect(reader.push('€\n')).toEqual([{ ok: true, text: '€' }]);
  });
});
