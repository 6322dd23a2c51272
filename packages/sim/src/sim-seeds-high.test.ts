import { describeSeedRange } from './seed-range.test-helper.js';

// The other half of CI's seeds 1-1000 (see sim-seeds-low.test.ts).
describeSeedRange(501, 500);
