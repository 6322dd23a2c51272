/**
 * The one registry of error codes that cross process boundaries. Each code names a class of
 * failure; the accompanying message names the field and the rule.
 */
export const errorCodes = {
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
} as const;

export type ErrorCode = keyof typeof errorCodes;
