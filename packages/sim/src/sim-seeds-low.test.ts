import { describeSeedRange } from './seed-range.test-helper.js';

// CI runs seeds 1-1000 (3, 4 and 5 nodes by seed % 3, every fault on, 60 simulated seconds
// each plus the liveness phase), split over two files so vitest runs the halves in parallel.
describeSeedRange(1, 500);
