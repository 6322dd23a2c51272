// A one-shot console for the test-host tests (console-trust-hosts.test.ts): it runs inside a
// test host, says hello to an agent's console API with the identity it is given — with the
// agent password read from a file, or with the certificate alone — optionally revokes that
// certificate, reports each step as one JSON line and exits.
//
//   node console-hello.js --url wss://ADDR:PORT/quorate/console --cert FILE --key FILE
//                         [--password-file FILE] [--revoke]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ConsoleRequest, decodeConsoleMessage } from '@quorate/protocol';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'password-file': { type: 'string' },
    revoke: { type: 'boolean', default: false },
  },
});
const required = (name: 'url' | 'cert' | 'key'): string => {
  const value = values[name];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
};
const report = (fields: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(fields)}\n`);

const passwordFile = values['password-file'];
const auth: Extract<ConsoleRequest, { type: 'hello' }>['auth'] =
  passwordFile === undefined
    ? { kind: 'certificate' }
    : { kind: 'password', password: readFileSync(passwordFile, 'utf8').split('\n')[0] ?? '' };

const ws = new WebSocket(required('url'), {
  cert: readFileSync(required('cert'), 'utf8'),
  key: readFileSync(required('key'), 'utf8'),
  // The agent's certificate is not what these tests are about.
  rejectUnauthorized: false,
  handshakeTimeout: 5000,
});
const send = (frame: ConsoleRequest) => ws.send(JSON.stringify(frame));

ws.on('error', (error) => {
  report({ step: 'connect', outcome: 'refused', detail: error.message });
  process.exit(0);
});
ws.on('close', (code) => {
  report({ step: 'closed', code });
  process.exit(0);
});
ws.on('open', () => send({ type: 'hello', versions: [1], auth }));
ws.on('message', (data) => {
  const decoded = decodeConsoleMessage(String(data));
  if (!decoded.ok) {
    report({ step: 'invalid', detail: decoded.error.message });
    return ws.close();
  }
  const frame = decoded.frame;
  if (frame.type === 'welcome') {
    report({ step: 'welcome', node: frame.node, auth: frame.auth, trust: frame.consoleTrust });
    if (values.revoke) send({ version: frame.version, id: 1, type: 'revoke-console' });
    else ws.close();
  } else if (frame.type === 'console-revoked') {
    report({ step: 'revoked', cluster: frame.cluster, message: frame.message });
    ws.close();
  } else if (frame.type === 'error') {
    report({ step: 'error', code: frame.code, message: frame.message });
  }
});
