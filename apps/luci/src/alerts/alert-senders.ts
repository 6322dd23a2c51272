import { createHmac } from 'node:crypto';
import { type AlertPayload, type AlertTarget, alertHeaders } from '@quorate/protocol';
import { createTransport } from 'nodemailer';

/** One attempt's outcome: delivered, or the error to log and perhaps retry. */
export interface SendResult {
  readonly ok: boolean;
  /** The HTTP status (webhook) or SMTP reply code (email), when the receiver answered. */
  readonly status: number | null;
  readonly error: string | null;
  /** False when trying again cannot help (a 4xx other than 408 and 429, a refused address). */
  readonly retry: boolean;
}

export type AlertSender = (
  target: AlertTarget,
  secret: string | null,
  payload: AlertPayload,
) => Promise<SendResult>;

/** `sha256=` and the hex HMAC-SHA256 of `body` keyed with `secret` (the webhook's signature). */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const errorWords = (error: unknown) => {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
};

/** POSTs the payload as JSON; any 2xx is delivered. The secret signs, it is never sent. */
async function sendWebhook(
  target: Extract<AlertTarget, { kind: 'webhook' }>,
  secret: string | null,
  payload: AlertPayload,
  timeoutMs: number,
): Promise<SendResult> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'quorate-luci',
    [alertHeaders.kind]: payload.kind,
    [alertHeaders.id]: payload.id,
  };
  if (secret !== null) headers[alertHeaders.signature] = signatureOf(secret, body);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true, status: response.status, error: null, retry: false };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    const error = `the receiver answered HTTP ${response.status}`;
    return { ok: false, status: response.status, error, retry };
  } catch (error) {
    return { ok: false, status: null, error: errorWords(error), retry: true };
  }
}

/** The email's text: the summary, then the payload for whoever parses mail. */
function emailText(payload: AlertPayload): string {
  return [
    payload.summary,
    '',
    `Cluster: ${payload.cluster}`,
    `Event: ${payload.kind} (${payload.severity})`,
    `At: ${payload.at}`,
    '',
    'The alert as JSON (quorate.alert/1):',
    JSON.stringify(payload, null, 2),
    '',
  ].join('\n');
}

/** Sends the alert through the target's SMTP server with nodemailer. */
async function sendEmail(
  target: Extract<AlertTarget, { kind: 'email' }>,
  password: string | null,
  payload: AlertPayload,
  timeoutMs: number,
): Promise<SendResult> {
  const transport = createTransport({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    ...(target.user ? { auth: { user: target.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: `[${payload.severity}] ${payload.cluster}: ${payload.summary}`.slice(0, 250),
      text: emailText(payload),
      headers: { [alertHeaders.kind]: payload.kind, [alertHeaders.id]: payload.id },
    });
    const code = Number.parseInt(String(info.response ?? '').slice(0, 3), 10);
    return { ok: true, status: Number.isFinite(code) ? code : null, error: null, retry: false };
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    const status = typeof code === 'number' ? code : null;
    // A permanent SMTP refusal (5xx) will not change on a retry.
    const retry = status === null || status < 500;
    return { ok: false, status, error: errorWords(error), retry };
  } finally {
    transport.close();
  }
}

/** The production sender: webhooks over fetch, email over SMTP, each attempt bounded. */
export function networkSender(timeoutMs: number): AlertSender {
  return (target, secret, payload) =>
    target.kind === 'webhook'
      ? sendWebhook(target, secret, payload, timeoutMs)
      : sendEmail(target, secret, payload, timeoutMs);
}
