import { lazy, Suspense } from 'react';

// Loaded when opened: the first screen's JavaScript stays small.
const AlertsPage = lazy(() => import('./alerts-page.js'));

export function AlertsRoute(props: { params: { name: string } }) {
  return (
    <Suspense
      fallback={
        <p className="muted" data-test="alerts-loading">
          Loading…
        </p>
      }
    >
      <AlertsPage params={props.params} />
    </Suspense>
  );
}
