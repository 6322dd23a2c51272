import type { ClusterNodeConf } from '@quorate/core';
import type { EditorState } from './editor-state.js';
import { ParamFields } from './param-fields.js';

export interface LevelDevice {
  readonly key: number;
  readonly device: string;
  readonly params: Record<string, string>;
}

/** One fence level: a `<method>`; every device in it must succeed for the level to succeed. */
export interface FenceLevel {
  readonly key: number;
  readonly name: string;
  readonly devices: readonly LevelDevice[];
}

let nextKey = 1;
export const newKey = () => nextKey++;

export function levelsOf(node: ClusterNodeConf): FenceLevel[] {
  return node.fenceMethods.map((m) => ({
    key: newKey(),
    name: m.name,
    devices: m.devices.map((d) => ({ key: newKey(), device: d.name, params: { ...d.params } })),
  }));
}

/** The levels as the setNodeFencing edit takes them. */
export function methodsOf(levels: readonly FenceLevel[]) {
  return levels.map((l) => ({
    name: l.name,
    devices: l.devices.map((d) => ({
      device: d.device,
      params: Object.fromEntries(Object.entries(d.params).filter(([, v]) => v !== '')),
    })),
  }));
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item!);
  return out;
}

function freeLevelName(levels: readonly FenceLevel[]): string {
  let n = levels.length + 1;
  while (levels.some((l) => l.name === String(n))) n++;
  return String(n);
}

function DeviceRow(props: {
  state: EditorState;
  device: LevelDevice;
  onChange: (device: LevelDevice) => void;
  onRemove: () => void;
  errorFor: (name: string) => string | undefined;
}) {
  const { state, device } = props;
  const agent = state.conf.fenceDevices.find((d) => d.name === device.device)?.agent;
  const info =
    agent === undefined
      ? undefined
      : state.fenceAgents.get(agent.slice(agent.lastIndexOf('/') + 1));
  return (
    <li className="level-device" data-test="fence-level-device-row">
      <label>
        Device{' '}
        <select
          data-test="fence-level-device"
          value={device.device}
          onChange={(e) => props.onChange({ ...device, device: e.target.value, params: {} })}
        >
          {state.conf.fenceDevices.map((d) => (
            <option key={d.name} value={d.name}>
              {d.name} ({d.agent})
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="danger"
        onClick={props.onRemove}
        data-test="fence-level-remove-device"
      >
        Remove device
      </button>
      {info && info.instanceParameters.length > 0 && (
        <ParamFields
          parameters={info.instanceParameters}
          values={device.params}
          onChange={(params) => props.onChange({ ...device, params })}
          errorFor={props.errorFor}
          testPrefix="fence-level-param-"
        />
      )}
    </li>
  );
}

/**
 * A node's fence levels in the order fenced tries them: a level that fails hands over to the
 * next. Levels can be added, renamed, reordered and removed; each holds one or more devices.
 */
export function FenceLevelsEditor(props: {
  state: EditorState;
  levels: readonly FenceLevel[];
  onChange: (levels: FenceLevel[]) => void;
  errorFor: (name: string) => string | undefined;
}) {
  const { state, levels, onChange } = props;
  const firstDevice = state.conf.fenceDevices[0]?.name;
  const update = (i: number, level: FenceLevel) =>
    onChange(levels.map((l, j) => (j === i ? level : l)));
  const addDevice = (i: number, level: FenceLevel) =>
    firstDevice !== undefined &&
    update(i, {
      ...level,
      devices: [...level.devices, { key: newKey(), device: firstDevice, params: {} }],
    });
  return (
    <fieldset className="fence-levels" data-test="fence-levels">
      <legend>Fence levels, tried in this order</legend>
      {firstDevice === undefined && (
        <p className="empty">No fence devices yet — add one under "Fence devices" first.</p>
      )}
      {levels.length === 0 && firstDevice !== undefined && (
        <p className="empty" data-test="fence-levels-empty">
          This node has no fence level: the cluster cannot fence it, so its services cannot recover
          when it is lost.
        </p>
      )}
      <ol>
        {levels.map((level, i) => (
          <li key={level.key} className="fence-level" data-test="fence-level">
            <div className="level-head">
              <label>
                Level {i + 1}, method name{' '}
                <input
                  type="text"
                  className="mono"
                  data-test="fence-level-name"
                  value={level.name}
                  onChange={(e) => update(i, { ...level, name: e.target.value })}
                />
              </label>
              <button
                type="button"
                disabled={i === 0}
                onClick={() => onChange(move(levels, i, i - 1))}
                data-test="fence-level-up"
              >
                Move up
              </button>
              <button
                type="button"
                disabled={i === levels.length - 1}
                onClick={() => onChange(move(levels, i, i + 1))}
                data-test="fence-level-down"
              >
                Move down
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => onChange(levels.filter((_, j) => j !== i))}
                data-test="fence-level-remove"
              >
                Remove level
              </button>
            </div>
            <ul>
              {level.devices.map((device, k) => (
                <DeviceRow
                  key={device.key}
                  state={state}
                  device={device}
                  errorFor={props.errorFor}
                  onChange={(d) =>
                    update(i, { ...level, devices: level.devices.map((x, j) => (j === k ? d : x)) })
                  }
                  onRemove={() =>
                    update(i, { ...level, devices: level.devices.filter((_, j) => j !== k) })
                  }
                />
              ))}
            </ul>
            <button
              type="button"
              onClick={() => addDevice(i, level)}
              disabled={firstDevice === undefined}
              data-test="fence-level-add-device"
            >
              Add device to level {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        disabled={firstDevice === undefined}
        data-test="fence-level-add"
        onClick={() =>
          onChange([
            ...levels,
            {
              key: newKey(),
              name: freeLevelName(levels),
              devices:
                firstDevice === undefined
                  ? []
                  : [{ key: newKey(), device: firstDevice, params: {} }],
            },
          ])
        }
      >
        Add fence level
      </button>
    </fieldset>
  );
}
