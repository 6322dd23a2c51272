import type { ConfigIssue } from '@quorate/protocol';
import type { AgentCatalog } from '../agent-metadata/model.js';
import { EditError } from './edit-model.js';
import type { ClusterConf } from './model.js';
import { validateClusterConf } from './validate.js';

const issueKey = (issue: ConfigIssue) => `${issue.rule}\u0000${issue.message}`;

// A ClusterConf is immutable, and in a sequence of edits each result is the next edit's input:
// remembering its draft errors validates every config once instead of twice.
const draftErrorsCache = new WeakMap<
  ClusterConf,
  { catalog: AgentCatalog; errors: ConfigIssue[] }
>();

function draftErrors(conf: ClusterConf, catalog: AgentCatalog): ConfigIssue[] {
  const cached = draftErrorsCache.get(conf);
  if (cached?.catalog === catalog) return cached.errors;
  const errors = validateClusterConf(conf, 'draft', catalog).errors;
  draftErrorsCache.set(conf, { catalog, errors });
  return errors;
}

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
    for (const issue of draftErrors(before, catalog)) {
      known.set(issueKey(issue), (known.get(issueKey(issue)) ?? 0) + 1);
    }
  }
  const fresh = draftErrors(after, catalog).filter((issue) => {
    const left = known.get(issueKey(issue)) ?? 0;
    if (left > 0) known.set(issueKey(issue), left - 1);
    return left === 0;
  });
  const first = fresh[0];
  if (!first) return;
  const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
  throw new EditError(first.path, `${first.message} [${first.rule}]${more}`);
}
