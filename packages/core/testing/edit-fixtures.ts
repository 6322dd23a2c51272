import { applyEdit } from '../src/cluster-conf/edit.js';
import type { ConfigEdit } from '../src/cluster-conf/edit-model.js';
import { EditError } from '../src/cluster-conf/edit-model.js';
import type { ClusterConf } from '../src/cluster-conf/model.js';

/** The EditError an edit is refused with; fails the test when the edit is accepted. */
export function refusal(c: ClusterConf, edit: ConfigEdit): EditError {
  try {
    applyEdit(c, edit);
  } catch (e) {
    if (e instanceof EditError) return e;
    throw e;
  }
  throw new Error(`edit ${edit.op} was not refused`);
}
