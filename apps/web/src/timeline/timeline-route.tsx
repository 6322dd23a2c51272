import { lazy, Suspense } from 'react';

// The timeline and a service's history load when opened, outside the first screen's bundle.
const TimelinePage = lazy(() => import('./timeline-page.js'));
const ServiceHistoryPage = lazy(() => import('./service-history-page.js'));

const loading = (
  <p className="muted" data-test="timeline-loading">
    Loading…
  </p>
);

export function TimelineRoute(props: { params: { name: string } }) {
  return (
    <Suspense fallback={loading}>
      <TimelinePage params={props.params} />
    </Suspense>
  );
}

export function ServiceHistoryRoute(props: { params: { name: string; service: string } }) {
  return (
    <Suspense fallback={loading}>
      <ServiceHistoryPage params={props.params} />
    </Suspense>
  );
}
