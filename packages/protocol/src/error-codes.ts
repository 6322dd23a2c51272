/**
 * The one registry of error codes that cross process boundaries. Each code names a class of
 * failure; the accompanying message names the field and the rule.
 */
export const errorCodes = {
  CONSOLE_INVALID_REQUEST: 'a console request does not match its schema',
  CONSOLE_UNSUPPORTED_MEDIA_TYPE: 'a console request body is not JSON',
  CONSOLE_NOT_SIGNED_IN: 'the console request needs a signed-in session',
  CONSOLE_LOGIN_FAILED: 'the user name or password is wrong',
  CONSOLE_LOGIN_RATE_LIMITED: 'too many wrong passwords; wait before trying again',
  CONSOLE_FORBIDDEN: 'the signed-in user lacks the role this request needs',
  CONSOLE_CROSS_SITE: 'the request comes from another site',
  CONSOLE_CSRF_TOKEN: "the request lacks the session's CSRF token",
  CONSOLE_NOT_SET_UP: 'the console has no administrator yet',
  CONSOLE_ALREADY_SET_UP: 'the console already has an administrator',
  CONSOLE_NOT_FOUND: 'no such object in the console',
  CONSOLE_CONFLICT: "the request conflicts with the console's current state",
  CONSOLE_LINK_UNAVAILABLE: "the console cannot reach the cluster's agents",
  CONSOLE_ACTION_REFUSED: 'the cluster refused the action',
  CONSOLE_INTERNAL: 'the console failed unexpectedly',
  CONFIG_NOT_XML: 'the input is not well-formed XML',
  CONFIG_TOO_LARGE: 'the input is larger than the limit',
  CONFIG_UNSUPPORTED_XML: 'the input uses an XML feature cluster.conf does not allow',
  CONFIG_INVALID: 'the configuration breaks a validation rule',
  CONFIG_VERSION_NOT_GREATER: 'the proposed config_version is not greater than the current one',
  EDIT_REJECTED: 'the edit cannot be applied to this configuration',
  PEER_FRAME_TOO_LARGE: 'a peer frame is larger than the size limit',
  PEER_FRAME_NOT_JSON: 'a peer frame is not JSON',
  PEER_FRAME_INVALID: 'a peer frame does not match the peer protocol schema',
  PEER_VERSION_UNSUPPORTED: 'a peer frame uses a protocol version this node does not speak',
  CONTROL_FRAME_TOO_LARGE: 'a control-socket frame is larger than the size limit',
  CONTROL_FRAME_NOT_JSON: 'a control-socket frame is not JSON',
  CONTROL_FRAME_INVALID: 'a control-socket frame does not match the control protocol schema',
  CONTROL_VERSION_UNSUPPORTED:
    'a control-socket frame uses a protocol version the other side does not speak',
  CONTROL_REQUEST_FAILED: 'the agent could not carry out a control request',
  CONSOLE_API_FRAME_TOO_LARGE: 'a console API frame is larger than the size limit',
  CONSOLE_API_FRAME_NOT_JSON: 'a console API frame is not JSON',
  CONSOLE_API_FRAME_INVALID: 'a console API frame does not match the console API schema',
  CONSOLE_API_VERSION_UNSUPPORTED:
    'a console API frame uses a protocol version the other side does not speak',
  CONSOLE_API_NOT_AUTHENTICATED: 'the console sent a request before a successful hello',
  CONSOLE_API_AUTH_FAILED: 'the agent password is wrong',
  CONSOLE_API_AUTH_RATE_LIMITED: 'too many wrong agent passwords from this address; wait',
  CONSOLE_API_CERTIFICATE_NOT_TRUSTED:
    "the console's client certificate is not pinned on this agent; send the agent password",
  CONSOLE_API_NO_PASSWORD: 'this agent has no agent password set (ricci password)',
  CONSOLE_API_REQUEST_FAILED: 'the agent could not carry out a console request',
  CONSOLE_API_AGENT_FINGERPRINT_CHANGED:
    "the agent's certificate is not the one the console pinned for that node",
} as const;

export type ErrorCode = keyof typeof errorCodes;
