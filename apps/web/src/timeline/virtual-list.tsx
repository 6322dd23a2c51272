import { type ReactNode, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { rowWindow } from './virtual-window.js';

/**
 * The window of rows a scrolled viewport `heightPx` tall shows of `count` rows `rowHeightPx`
 * high: attach `viewportRef` and `onScroll` to the scrolling element. A scroll re-renders at
 * most once per animation frame.
 */
export function useScrollWindow(count: number, rowHeightPx: number, heightPx: number) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef<number | null>(null);
  const onScroll = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = window.requestAnimationFrame(() => {
      frame.current = null;
      setScrollTop(viewportRef.current?.scrollTop ?? 0);
    });
  }, []);
  useLayoutEffect(
    () => () => {
      if (frame.current !== null) window.cancelAnimationFrame(frame.current);
    },
    [],
  );
  return { viewportRef, onScroll, ...rowWindow(count, rowHeightPx, scrollTop, heightPx) };
}

/**
 * A scrolled list that renders only the rows in view (UI.md: lists virtualised past a few
 * hundred rows). Rows have one fixed height; a scroll re-renders at most once per frame.
 */
export function VirtualList<Item>(props: {
  items: readonly Item[];
  rowHeightPx: number;
  /** The viewport's height; the list scrolls inside it. */
  heightPx: number;
  keyOf: (item: Item, index: number) => string | number;
  renderRow: (item: Item, index: number) => ReactNode;
  label: string;
  testId: string;
}) {
  const { items, rowHeightPx } = props;
  const height = Math.min(props.heightPx, items.length * rowHeightPx);
  const { viewportRef, onScroll, first, end } = useScrollWindow(items.length, rowHeightPx, height);
  return (
    <div
      ref={viewportRef}
      className="virtual-list"
      style={{ height }}
      onScroll={onScroll}
      data-test={props.testId}
      data-count={items.length}
    >
      <ol aria-label={props.label} style={{ height: items.length * rowHeightPx }}>
        {items.slice(first, end).map((item, offset) => (
          <li
            key={props.keyOf(item, first + offset)}
            className="virtual-row"
            style={{ top: (first + offset) * rowHeightPx, height: rowHeightPx }}
          >
            {props.renderRow(item, first + offset)}
          </li>
        ))}
      </ol>
    </div>
  );
}
