// postject 1.0.0-alpha.6 ships no types; this is the one function the build calls.
declare module 'postject' {
  export function inject(
    filename: string,
    resourceName: string,
    resourceData: Buffer,
    options: { sentinelFuse: string; overwrite?: boolean },
  ): Promise<void>;
}
