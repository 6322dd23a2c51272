import type { ConfigIssue } from '@quorate/protocol';
import type { AgentCatalog } from '../agent-metadata/model.js';
import { EditError } from './edit-model.js';
import type { ClusterConf } from './model.js';
import { validateClusterConf } from './validate.js';

const issueKey = (issue: ConfigIssue) => `${issue.rule}\u0000${issue.message}`;

/**
 * Refuses a result in which draft validation finds errors the input did not have. Errors
 * already there are not the edit's fault (a file written by hand may carry them) and do not
 * block it; they are matched by rule and message, because paths shift as elements come and go.
 */
export function checkDraft(
  before: ClusterConf | undefined,
  after: ClusterConf,
  catalog: AgentCatalog,
): void {
  const known = new Map<string, number>();
  if (before) {
    for (const issue of validateClusterConf(before, 'draft', catalog).errors) {
      known.set(issueKey(issue), (known.get(issueKey(issue)) ?? 0) + 1);
    }
  }
  const fresh = validateClusterConf(after, 'draft', catalog).errors.filter((issue) => {
    const left = known.get(issueKey(issue)) ?? 0;
    if (left > 0) known.set(issueKey(issue), left - 1);
    return left === 0;
  });
  const first = fresh[0];
  if (!first) return;
  const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
  throw new EditError(first.path, `${first.message} [${first.rule}]${more}`);
}
