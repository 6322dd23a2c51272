import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it('replaces secret-named fields at any depth and keeps the rest', () => {
    const input = {
      name: 'operator',
      password: 'hunter2hunter2',
      nested: { agentPassword: 'p', items: [{ apiToken: 't', port: 11111 }] },
      newPassword: 'x',
      privateKey: 'k',
    };
    expect(redactSecrets(input)).toEqual({
      name: 'operator',
      password: '[redacted]',
      nested: { agentPassword: '[redacted]', items: [{ apiToken: '[redacted]', port: 11111 }] },
      newPassword: '[redacted]',
      privateKey: '[redacted]',
    });
    expect(input.password).toBe('hunter2hunter2');
  });
});
