import type { ServiceHistory } from '@quorate/protocol';
import { serviceStateLooks } from '../services/service-state.js';

const widthPx = 900;
const laneHeightPx = 26;
const labelPx = 110;
const axisPx = 24;
const noNode = '(no node)';

const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * Where a service ran, drawn by hand in SVG (a few rectangles: lighter than any chart library):
 * one lane per node, a bar per span coloured and titled by its state, a dashed line at each
 * failover. Time runs left to right from the first span to `nowMs`.
 */
export function HistoryChart(props: { history: ServiceHistory; nowMs: number }) {
  const { spans, failovers } = props.history;
  if (spans.length === 0) return null;
  const lanes = [...new Set(spans.map((s) => s.node ?? noNode))];
  const startMs = Date.parse(spans[0]!.from);
  const endMs = Math.max(props.nowMs, startMs + 1000);
  const x = (ms: number) =>
    labelPx + ((ms - startMs) / (endMs - startMs)) * (widthPx - labelPx - 10);
  const heightPx = lanes.length * laneHeightPx + axisPx;
  return (
    <svg
      className="history-chart"
      viewBox={`0 0 ${widthPx} ${heightPx}`}
      role="img"
      aria-label={`Where ${props.history.service} ran, by node, over time`}
      data-test="history-chart"
    >
      {lanes.map((lane, i) => (
        <g key={lane} data-test="history-lane" data-node={lane}>
          <text x={4} y={i * laneHeightPx + 17}>
            {lane}
          </text>
          <line
            className="axis"
            x1={labelPx}
            x2={widthPx}
            y1={(i + 1) * laneHeightPx}
            y2={(i + 1) * laneHeightPx}
          />
        </g>
      ))}
      {spans.map((span) => {
        const lane = lanes.indexOf(span.node ?? noNode);
        const from = x(Date.parse(span.from));
        const to = x(span.to === null ? endMs : Date.parse(span.to));
        return (
          <rect
            key={`${span.from}-${span.state}-${span.node}`}
            x={from}
            y={lane * laneHeightPx + 5}
            width={Math.max(2, to - from)}
            height={laneHeightPx - 10}
            rx={3}
            data-tone={serviceStateLooks[span.state].tone}
            data-test="history-span"
            data-state={span.state}
          >
            <title>{`${span.state} on ${span.node ?? 'no node'} from ${clock.format(new Date(span.from))}`}</title>
          </rect>
        );
      })}
      {failovers.map((failover) => {
        const at = x(Date.parse(failover.startedAt));
        return (
          <line
            key={failover.startedAt}
            className="failover-mark"
            x1={at}
            x2={at}
            y1={0}
            y2={lanes.length * laneHeightPx}
          >
            <title>{`failover ${failover.from} → ${failover.to}`}</title>
          </line>
        );
      })}
      <text x={labelPx} y={heightPx - 6}>
        {clock.format(new Date(startMs))}
      </text>
      <text x={widthPx - 4} y={heightPx - 6} textAnchor="end">
        {clock.format(new Date(endMs))}
      </text>
    </svg>
  );
}
