import { lazy, Suspense } from 'react';

// The prediction needs the core's resource manager: it loads only when the page is opened.
const WhatIfPage = lazy(() => import('./what-if-page.js'));

export function WhatIfRoute(props: { params: { name: string } }) {
  return (
    <Suspense
      fallback={
        <p className="muted" data-test="what-if-loading">
          Loading…
        </p>
      }
    >
      <WhatIfPage params={props.params} />
    </Suspense>
  );
}
