import { lazyPage } from '../ui/lazy-page.js';

// Loaded when opened: the first screen's JavaScript stays small.
export const AlertsRoute = lazyPage(() => import('./alerts-page.js'), 'alerts-loading');
