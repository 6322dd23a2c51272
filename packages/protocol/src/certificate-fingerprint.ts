import { z } from 'zod';

/**
 * A certificate's SHA-256 over its DER bytes, as browsers and Node show it: `AB:CD:…`. Its own
 * module so that both the console API and the controller's commands (trusted consoles are
 * replicated state) use it without importing each other.
 */
export const certificateFingerprintSchema = z
  .string()
  .regex(
    /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/,
    'a fingerprint is 32 upper-case hex bytes joined by colons',
  );
