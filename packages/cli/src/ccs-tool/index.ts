export { type CliIo, ccsToolUsage, runCcsTool, runOfflineCcsTool } from './main.js';
