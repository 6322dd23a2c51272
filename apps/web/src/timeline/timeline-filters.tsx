import { memo } from 'react';
import { type KindGroup, kindGroups, type TimelineFilter } from './timeline-filter.js';

/**
 * Kind, node, service and time range; every change applies at once. Memoised: a live push
 * re-renders it only when the cluster's node or service names changed (1,000 options).
 */
export const TimelineFilters = memo(function TimelineFilters(props: {
  filter: TimelineFilter;
  nodes: readonly string[];
  services: readonly string[];
  onChange: (filter: TimelineFilter) => void;
}) {
  const { filter, onChange } = props;
  const toggle = (group: KindGroup, on: boolean) =>
    onChange({
      ...filter,
      groups: on ? [...filter.groups, group] : filter.groups.filter((g) => g !== group),
    });
  return (
    <form
      className="timeline-filters"
      data-test="timeline-filters"
      onSubmit={(e) => e.preventDefault()}
    >
      <fieldset>
        <legend>Kinds (none chosen: all)</legend>
        {kindGroups.map((group) => (
          <label key={group.id} className="check">
            <input
              type="checkbox"
              checked={filter.groups.includes(group.id)}
              onChange={(e) => toggle(group.id, e.target.checked)}
              data-test={`timeline-kind-${group.id}`}
            />
            {group.label}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Node</span>
        <select
          value={filter.node}
          onChange={(e) => onChange({ ...filter, node: e.target.value })}
          data-test="timeline-node"
        >
          <option value="">Any node</option>
          {props.nodes.map((node) => (
            <option key={node} value={node}>
              {node}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Service</span>
        <input
          list="timeline-services"
          value={filter.service}
          placeholder="Any service"
          onChange={(e) => onChange({ ...filter, service: e.target.value })}
          data-test="timeline-service"
          className="mono"
        />
        <datalist id="timeline-services">
          {props.services.map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>From</span>
        <input
          type="datetime-local"
          step={1}
          value={filter.from}
          onChange={(e) => onChange({ ...filter, from: e.target.value })}
          data-test="timeline-from"
        />
      </label>
      <label className="field">
        <span>To</span>
        <input
          type="datetime-local"
          step={1}
          value={filter.to}
          onChange={(e) => onChange({ ...filter, to: e.target.value })}
          data-test="timeline-to"
        />
      </label>
    </form>
  );
});
