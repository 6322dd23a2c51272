import type { ConfigEditRequestItem } from '@quorate/protocol';
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import type { ConfigEditor } from './use-config-editor.js';

/**
 * A list row's Edit and Delete buttons, marked `<testPrefix>-edit` and `<testPrefix>-delete`;
 * without `onDelete`, Edit alone.
 */
export function RowActions(props: {
  readonly testPrefix: string;
  readonly onEdit: () => void;
  readonly onDelete?: (() => void) | undefined;
}) {
  return (
    <td className="row-actions">
      <button type="button" onClick={props.onEdit} data-test={`${props.testPrefix}-edit`}>
        Edit
      </button>
      {props.onDelete && (
        <button
          type="button"
          className="danger"
          onClick={props.onDelete}
          data-test={`${props.testPrefix}-delete`}
        >
          Delete
        </button>
      )}
    </td>
  );
}

/**
 * Asks before deleting one object of the configuration; the deletion then goes through the
 * same review (the diff, "Send to cluster") as any other save. `edit` null: nothing is asked.
 */
export function DeleteConfirm(props: {
  readonly editor: ConfigEditor;
  readonly edit: ConfigEditRequestItem | null;
  readonly title: string;
  readonly testId: string;
  readonly onCancel: () => void;
  readonly children: ReactNode;
}) {
  const { editor, edit } = props;
  return (
    <ConfirmDialog
      open={edit !== null}
      title={props.title}
      confirmLabel="Review deletion"
      testId={props.testId}
      onCancel={props.onCancel}
      onConfirm={async () => {
        if (!edit) return;
        const refusal = await editor.save([edit]);
        if (refusal) throw new Error(refusal.message);
      }}
    >
      {props.children}
    </ConfirmDialog>
  );
}
