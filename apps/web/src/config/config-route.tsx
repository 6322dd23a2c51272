import { lazyPage } from '../ui/lazy-page.js';

// The editor (and the core's config model it validates with) loads only when it is opened, so
// the first screen's JavaScript stays small.
export const ConfigRoute = lazyPage(() => import('./config-page.js'), 'config-loading');
