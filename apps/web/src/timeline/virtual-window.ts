/** The rows a scrolled list must render: those in view plus `overscan` on each side. */
export interface RowWindow {
  readonly first: number;
  /** One past the last row to render. */
  readonly end: number;
}

/**
 * Which of `count` rows of `rowHeightPx` a viewport `viewportPx` tall, scrolled `scrollTopPx`
 * down, shows: a list of thousands renders a few dozen rows, whatever its length.
 */
export function rowWindow(
  count: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  overscan = 8,
): RowWindow {
  if (count === 0 || rowHeightPx <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTopPx / rowHeightPx));
  const visible = Math.ceil(Math.max(viewportPx, rowHeightPx) / rowHeightPx) + 1;
  const first = Math.min(Math.max(0, top - overscan), count);
  const end = Math.min(count, top + visible + overscan);
  return { first, end };
}
