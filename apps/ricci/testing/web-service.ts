// The test web service (server + LSB init script) lives in the harness, which the failover
// benchmark shares with these tests.
export { writeWebService } from '@quorate/e2e';
