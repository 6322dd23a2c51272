import type { ReactNode } from 'react';

/**
 * A dense table that scrolls sideways on a narrow screen, or `empty` in its place when there are
 * no rows. `actions` adds a last column for the rows' buttons, named for screen readers only.
 */
export function DataTable<Row>(props: {
  readonly testId: string;
  readonly headers: readonly string[];
  readonly actions?: boolean;
  readonly rows: readonly Row[];
  readonly renderRow: (row: Row) => ReactNode;
  readonly empty?: ReactNode;
}) {
  if (props.rows.length === 0 && props.empty !== undefined) return props.empty;
  return (
    <div className="table-scroll">
      <table data-test={props.testId}>
        <thead>
          <tr>
            {props.headers.map((header) => (
              <th key={header}>{header}</th>
            ))}
            {props.actions && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>{props.rows.map(props.renderRow)}</tbody>
      </table>
    </div>
  );
}

/** What a list says while it has nothing in it: what that means, and what to do next. */
export function EmptyState(props: {
  readonly testId: string;
  readonly muted?: boolean;
  readonly children: ReactNode;
}) {
  return (
    <p className={props.muted ? 'muted' : 'empty'} data-test={props.testId}>
      {props.children}
    </p>
  );
}
