import { lazy, Suspense } from 'react';

// Loaded when opened: most visits to the console never read an agent's log.
const LogsPage = lazy(() => import('./logs-page.js'));

export function LogsRoute(props: { params: { name: string; node: string } }) {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <LogsPage params={props.params} />
    </Suspense>
  );
}
