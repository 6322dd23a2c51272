import { lazyPage } from '../ui/lazy-page.js';

// Loaded when opened: most visits to the console never read an agent's log.
export const LogsRoute = lazyPage(() => import('./logs-page.js'));
