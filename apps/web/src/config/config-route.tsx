import { lazy, Suspense } from 'react';

// The editor (and the core's config model it validates with) loads only when it is opened, so
// the first screen's JavaScript stays small.
const ConfigPage = lazy(() => import('./config-page.js'));

export function ConfigRoute(props: { params: { name: string } }) {
  return (
    <Suspense
      fallback={
        <p className="muted" data-test="config-loading">
          Loading…
        </p>
      }
    >
      <ConfigPage params={props.params} />
    </Suspense>
  );
}
