import { lazyPage } from '../ui/lazy-page.js';

// The timeline and a service's history load when opened, outside the first screen's bundle.
export const TimelineRoute = lazyPage(() => import('./timeline-page.js'), 'timeline-loading');
export const ServiceHistoryRoute = lazyPage(
  () => import('./service-history-page.js'),
  'timeline-loading',
);
