import { lazyPage } from '../ui/lazy-page.js';

// The prediction needs the core's resource manager: it loads only when the page is opened.
export const WhatIfRoute = lazyPage(() => import('./what-if-page.js'), 'what-if-loading');
