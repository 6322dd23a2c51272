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
} as const;

export type ErrorCode = keyof typeof errorCodes;
