import { z } from 'zod';

/**
 * One finding of cluster.conf validation. It crosses every boundary (agent → console,
 * agent → CLI), so its shape lives here. `path` is an XPath-like location such as
 * `/cluster/clusternodes/clusternode[2]/@nodeid`; `rule` is a stable identifier the
 * console and tests can match on; `message` is the sentence an administrator reads.
 */
export const configIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  rule: z.string(),
  message: z.string(),
});

export type ConfigIssue = z.infer<typeof configIssueSchema>;

export function formatConfigIssue(issue: ConfigIssue): string {
  const prefix = issue.severity === 'warning' ? 'warning: ' : '';
  return `${prefix}${issue.path}: ${issue.message}`;
}
