import type { BootstrapHostInput, CreateClusterRequest } from '@quorate/protocol';
import { createClusterRequestSchema } from '@quorate/protocol';
import type { z } from 'zod';

/** One host row of the form, as typed (strings until it is sent). */
export interface HostDraft {
  readonly key: number;
  readonly host: string;
  readonly sshPort: string;
  readonly user: string;
  readonly authKind: 'password' | 'private-key';
  readonly password: string;
  readonly privateKey: string;
  readonly hostKeySha256: string;
  readonly name: string;
}

let nextKey = 1;

export function emptyHost(): HostDraft {
  return {
    key: nextKey++,
    host: '',
    sshPort: '22',
    user: 'root',
    authKind: 'password',
    password: '',
    privateKey: '',
    hostKeySha256: '',
    name: '',
  };
}

/** A number field as typed: empty is absent, anything else a number (NaN fails the schema). */
function numberOrAbsent(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text.trim());
}

export function hostInput(draft: HostDraft): BootstrapHostInput {
  const port = numberOrAbsent(draft.sshPort);
  return {
    host: draft.host.trim(),
    ...(port === undefined ? {} : { sshPort: port }),
    user: draft.user.trim(),
    auth:
      draft.authKind === 'password'
        ? { kind: 'password', password: draft.password }
        : { kind: 'private-key', privateKey: draft.privateKey },
    ...(draft.hostKeySha256.trim() ? { hostKeySha256: draft.hostKeySha256.trim() } : {}),
    ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
  };
}

export interface ClusterDraft {
  readonly clusterName: string;
  readonly agentPassword: string;
  readonly hosts: readonly HostDraft[];
  readonly tokenMs: string;
  readonly twoNode: boolean;
  readonly waitForAll: boolean;
}

export function createRequest(draft: ClusterDraft): CreateClusterRequest {
  const tokenMs = numberOrAbsent(draft.tokenMs);
  return {
    clusterName: draft.clusterName.trim(),
    agentPassword: draft.agentPassword,
    nodes: draft.hosts.map(hostInput),
    options: {
      ...(tokenMs === undefined ? {} : { tokenMs }),
      twoNode: draft.twoNode,
      waitForAll: draft.waitForAll,
    },
  };
}

let lastDraft: ClusterDraft | null = null;

/** Keeps the form as sent, secrets blanked, for "change the form and try again". */
export function rememberDraft(draft: ClusterDraft): void {
  lastDraft = {
    ...draft,
    agentPassword: '',
    hosts: draft.hosts.map((host) => ({ ...host, password: '', privateKey: '' })),
  };
}

export function rememberedDraft(): ClusterDraft | null {
  return lastDraft;
}

/** Field path (`nodes.1.host`) → the first message about it; empty when the form is sound. */
export type FieldErrors = Readonly<Record<string, string>>;

/** The server's own schema, run in the browser: the two never disagree about a field. */
export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues)
    errors[issue.path.map(String).join('.')] ??= issue.message;
  return errors;
}

export function checkDraft(request: CreateClusterRequest): FieldErrors {
  return fieldErrors(createClusterRequestSchema, request);
}
