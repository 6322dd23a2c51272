import { type FenceDeviceConf, fenceDeviceUsers, isSecretParameter } from '@quorate/core';
import { useState } from 'react';
import { EmptyState } from '../ui/data-table.js';
import { Field } from '../ui/field.js';
import { ConfigList } from './config-list.js';
import {
  type EditorState,
  errorAt,
  errorOfForm,
  filledParams,
  paramChanges,
} from './editor-state.js';
import { EditDialog, SelectField } from './form-parts.js';
import { FreeParams, ParamFields } from './param-fields.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

const otherAgent = '';

/** A device's parameters as a form starts with them: a secret the console never saw is empty. */
function startingParams(device: FenceDeviceConf | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(device?.params ?? {})) {
    if (!isSecretParameter(name)) out[name] = value;
  }
  return out;
}

function FenceDeviceDialog(props: {
  editor: ConfigEditor;
  state: EditorState;
  device: FenceDeviceConf | null;
  onClose: () => void;
}) {
  const { device, state } = props;
  const known = [...state.fenceAgents.keys()];
  const [name, setName] = useState(device?.name ?? '');
  const [agent, setAgent] = useState(device?.agent ?? 'fence_manual');
  const [custom, setCustom] = useState(!known.includes(agent));
  const initial = startingParams(device);
  const [values, setValues] = useState<Record<string, string>>(initial);
  const { error, busy, submit } = useFormSave(props.editor, props.onClose);
  const info = custom ? undefined : state.fenceAgents.get(agent);
  const secretsSet = new Set(Object.keys(device?.params ?? {}).filter(isSecretParameter));
  const changes = paramChanges(initial, values, isSecretParameter);
  const unchanged = device && agent === device.agent && Object.keys(changes).length === 0;
  const save = () =>
    submit(
      device
        ? unchanged
          ? []
          : [
              {
                op: 'updateFenceDevice',
                name: device.name,
                ...(agent === device.agent ? {} : { agent }),
                params: changes,
              },
            ]
        : [{ op: 'addFenceDevice', name, agent, params: filledParams(values) }],
    );
  const paramNames = info ? info.deviceParameters.map((p) => p.name) : Object.keys(values);
  return (
    <EditDialog
      title={device ? `Fence device ${device.name}` : 'Add a fence device'}
      open
      testId="fence-device-form"
      busy={busy}
      generalError={errorOfForm(error, ['name', 'agent', ...paramNames])}
      onClose={props.onClose}
      onSave={() => void save()}
    >
      <Field
        label="Name"
        testId="fence-device-name"
        type="text"
        value={name}
        disabled={device !== null}
        onChange={(e) => setName(e.target.value)}
        error={errorAt(error, 'name')}
        help="Nodes' fence levels refer to the device by this name."
      />
      <SelectField
        label="Fence agent"
        testId="fence-device-agent"
        value={custom ? otherAgent : agent}
        options={[
          ...known.map((a) => ({
            value: a,
            label: `${a} — ${state.fenceAgents.get(a)?.shortDescription ?? ''}`,
          })),
          { value: otherAgent, label: 'Another installed agent…' },
        ]}
        onChange={(value) => {
          setCustom(value === otherAgent);
          if (value !== otherAgent) setAgent(value);
        }}
        error={custom ? undefined : errorAt(error, 'agent')}
      />
      {custom && (
        <Field
          label="Agent (file name or path)"
          testId="fence-device-agent-other"
          type="text"
          className="mono"
          value={agent}
          onChange={(e) => setAgent(e.target.value)}
          error={errorAt(error, 'agent')}
        />
      )}
      {info ? (
        info.deviceParameters.length > 0 && (
          <ParamFields
            parameters={info.deviceParameters}
            values={values}
            onChange={setValues}
            errorFor={(p) => errorAt(error, p)}
            testPrefix="fence-param-"
            secretsSet={secretsSet}
          />
        )
      ) : (
        <FreeParams
          values={values}
          onChange={setValues}
          testId="fence-params-free"
          error={undefined}
        />
      )}
      {info && info.deviceParameters.length === 0 && (
        <p className="muted">This agent takes no device parameters.</p>
      )}
      {secretsSet.size > 0 && (
        <p className="muted" data-test="fence-secret-note">
          Stored passwords are never shown: leave a password empty to keep it.
        </p>
      )}
    </EditDialog>
  );
}

/** Fence devices: the shared `<fencedevices>`, with the nodes that use each one. */
export function FenceDevicesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  return (
    <ConfigList<FenceDeviceConf>
      {...props}
      title="Fence devices"
      add={{ label: 'Add fence device' }}
      testPrefix="fence-device"
      table={{
        testId: 'fence-devices-table',
        rowTestId: 'fence-device-row',
        rows: state.conf.fenceDevices,
        nameOf: (d) => d.name,
        columns: [
          { header: 'Name', mono: true, cell: (d) => d.name },
          { header: 'Agent', mono: true, cell: (d) => d.agent },
          {
            header: 'Used by',
            cell: (d) => fenceDeviceUsers(state.conf, d.name).join(', ') || '—',
          },
        ],
        empty: (
          <EmptyState testId="fence-devices-empty">
            No fence devices yet — add one; services cannot recover from a lost node without
            fencing.
          </EmptyState>
        ),
      }}
      form={(device, onClose) => (
        <FenceDeviceDialog editor={editor} state={state} device={device} onClose={onClose} />
      )}
      deletion={(d) => ({
        edit: { op: 'deleteFenceDevice', name: d.name },
        title: `Delete fence device ${d.name}`,
        question: (
          <p>
            Delete the fence device <span className="mono">{d.name}</span>? The change is shown
            before it is sent.
          </p>
        ),
      })}
    />
  );
}
