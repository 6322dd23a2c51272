// A misbehaving peer, for the test-host tests (daemon/test-hosts.test.ts): it runs inside a test
// host, dials an agent with the identity it is given and, if let in, sends what a well-behaved
// transport never would. It reports each step as one JSON line and exits.
//
//   node rogue-peer.js --url wss://ADDR:PORT/quorate/peer --ca FILE --cert FILE --key FILE
//                      [--from NAME --to NAME]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_PEER_FRAME_BYTES } from '@quorate/protocol';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    from: { type: 'string', default: 'rogue' },
    to: { type: 'string', default: 'unknown' },
  },
});
const required = (name: 'url' | 'ca' | 'cert' | 'key'): string => {
  const value = values[name];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const report = (fields: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(fields)}\n`);

const ws = new WebSocket(required('url'), {
  ca: readFileSync(required('ca'), 'utf8'),
  cert: readFileSync(required('cert'), 'utf8'),
  key: readFileSync(required('key'), 'utf8'),
  // The agent's certificate is not what this test is about.
  rejectUnauthorized: false,
  handshakeTimeout: 5000,
});
let opened = false;
ws.on('error', (error) => {
  if (!opened) report({ step: 'connect', outcome: 'refused', detail: error.message });
});
ws.on('close', (code) => {
  report({ step: 'closed', code });
  process.exit(0);
});
ws.on('open', () => {
  opened = true;
  report({ step: 'connect', outcome: 'open' });
  // Not JSON; then over the frame limit (refused, the link stays); then a well-formed frame
  // that claims another sender; then far over it (the link is closed with 1009).
  ws.send('{not json');
  ws.send(JSON.stringify({ pad: 'x'.repeat(DEFAULT_MAX_PEER_FRAME_BYTES) }));
  ws.send(
    JSON.stringify({
      version: 1,
      from: 'someone-else',
      to: values.to,
      kind: 'hello',
      versions: [1],
    }),
  );
  report({ step: 'sent', frames: ['malformed', 'oversized', 'spoofed'] });
  // A ping's pong proves the agent read all three and kept the link open.
  ws.ping();
  ws.once('pong', () => {
    report({ step: 'still-open' });
    ws.send('x'.repeat(DEFAULT_MAX_PEER_FRAME_BYTES * 5));
  });
});
