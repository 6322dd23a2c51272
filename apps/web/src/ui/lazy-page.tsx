import { type ComponentType, lazy, Suspense } from 'react';

/**
 * A route whose page loads only when it is opened, so that the first screen's JavaScript stays
 * small; "Loading…" (marked `loadingTestId`) stands in while it does. Call it at module level.
 */
export function lazyPage<Props extends object>(
  load: () => Promise<{ default: ComponentType<Props> }>,
  loadingTestId?: string,
): ComponentType<Props> {
  const Page = lazy(load);
  // biome-ignore lint/correctness/noComponentHookFactories: made once per route, at module level, never while rendering.
  return function LazyPage(props: Props) {
    return (
      <Suspense
        fallback={
          <p className="muted" data-test={loadingTestId}>
            Loading…
          </p>
        }
      >
        <Page {...props} />
      </Suspense>
    );
  };
}
