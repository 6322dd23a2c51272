import type { ConfigEditRequestItem } from '@quorate/protocol';
import { type ReactNode, useState } from 'react';
import { ConfigTable, type ConfigTableProps } from './config-table.js';
import type { EditorState } from './editor-state.js';
import { SectionHead } from './form-parts.js';
import { DeleteConfirm } from './row-actions.js';
import type { ConfigEditor } from './use-config-editor.js';

/** How one object is deleted: the edit sent, and the confirmation that names the object. */
export interface Deletion {
  readonly edit: ConfigEditRequestItem;
  readonly title: string;
  readonly question: ReactNode;
}

/**
 * A configuration tab that lists one kind of object: its heading with "Add", the table, the
 * form that adds or edits one (`form`, given null for a new one) and the confirmation before
 * deleting one. The buttons and dialogs are marked `<testPrefix>-…`.
 */
export function ConfigList<Row>(props: {
  readonly editor: ConfigEditor;
  readonly state: EditorState;
  readonly title: string;
  /** The "Add" button; absent where objects are not added here. */
  readonly add?: { readonly label: string };
  readonly testPrefix: string;
  readonly table: Omit<ConfigTableProps<Row>, 'actions'>;
  readonly form: (row: Row | null, onClose: () => void) => ReactNode;
  /** Absent where objects are not deleted here. */
  readonly deletion?: (row: Row) => Deletion;
}) {
  const { deletion, testPrefix } = props;
  const canEdit = props.state.view.canEdit;
  const [editing, setEditing] = useState<{ row: Row | null } | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const asked = deleting === null || !deletion ? null : deletion(deleting);
  return (
    <>
      <SectionHead
        title={props.title}
        addLabel={props.add?.label}
        addTestId={`${testPrefix}-add`}
        onAdd={canEdit && props.add ? () => setEditing({ row: null }) : undefined}
      />
      <ConfigTable
        {...props.table}
        actions={
          canEdit
            ? {
                testPrefix,
                onEdit: (row) => setEditing({ row }),
                onDelete: deletion && setDeleting,
              }
            : undefined
        }
      />
      {editing !== null && props.form(editing.row, () => setEditing(null))}
      {deletion && (
        <DeleteConfirm
          editor={props.editor}
          edit={asked?.edit ?? null}
          title={asked?.title ?? ''}
          testId={`${testPrefix}-delete-dialog`}
          onCancel={() => setDeleting(null)}
        >
          {asked?.question}
        </DeleteConfirm>
      )}
    </>
  );
}
