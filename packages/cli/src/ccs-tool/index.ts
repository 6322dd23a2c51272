export { type CliIo, ccsToolUsage, runCcsTool } from './main.js';
