import { describeSeedRange } from './seed-range.test-helper.js';

// CI runs seeds 1-500 (3, 4 and 5 nodes by seed % 3, one in eight a two_node pair; every fault
// on, services and fencing included; 20 simulated seconds of faults each plus the liveness
// phases), split over two files so vitest runs the halves in parallel.
describeSeedRange(1, 250);
