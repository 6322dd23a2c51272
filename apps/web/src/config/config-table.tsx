import type { ReactNode } from 'react';
import { DataTable } from '../ui/data-table.js';
import { RowActions } from './row-actions.js';

/** One column of a configuration list: its heading and what each row shows in it. */
export interface ConfigColumn<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** Names, addresses and values, set in a monospace face. */
  readonly mono?: boolean;
  readonly testId?: string;
}

export interface ConfigTableProps<Row> {
  readonly testId: string;
  readonly rowTestId: string;
  readonly rows: readonly Row[];
  readonly nameOf: (row: Row) => string;
  /** Unique among the rows; the name by default. */
  readonly keyOf?: (row: Row) => string;
  readonly columns: readonly ConfigColumn<Row>[];
  readonly empty?: ReactNode;
  /** Absent for users who may not edit. */
  readonly actions?: RowButtons<Row> | undefined;
}

/** A row's Edit and (where there is one) Delete, marked `<testPrefix>-edit`, `-delete`. */
export interface RowButtons<Row> {
  readonly testPrefix: string;
  readonly onEdit: (row: Row) => void;
  readonly onDelete?: ((row: Row) => void) | undefined;
}

/**
 * A list of one kind of object in cluster.conf (nodes, fence devices, domains, resources,
 * services): a row each, marked `rowTestId` with its name in `data-name`, and its Edit (and
 * Delete) buttons for users who may change the configuration.
 */
export function ConfigTable<Row>(props: ConfigTableProps<Row>) {
  const { actions, columns } = props;
  const keyOf = props.keyOf ?? props.nameOf;
  return (
    <DataTable
      testId={props.testId}
      headers={columns.map((c) => c.header)}
      actions={actions !== undefined}
      rows={props.rows}
      empty={props.empty}
      renderRow={(row) => (
        <tr key={keyOf(row)} data-test={props.rowTestId} data-name={props.nameOf(row)}>
          {columns.map((c) => (
            <td key={c.header} className={c.mono ? 'mono' : undefined} data-test={c.testId}>
              {c.cell(row)}
            </td>
          ))}
          {actions && (
            <RowActions
              testPrefix={actions.testPrefix}
              onEdit={() => actions.onEdit(row)}
              onDelete={actions.onDelete && (() => actions.onDelete?.(row))}
            />
          )}
        </tr>
      )}
    />
  );
}
