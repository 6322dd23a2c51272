import { describeSeedRange } from './seed-range.test-helper.js';

// The other half of CI's seeds 1-500 (see sim-seeds-low.test.ts).
describeSeedRange(251, 250);
