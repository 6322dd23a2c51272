import { buildResourceTrees, type ResourceConf, startOrder } from '@quorate/core';
import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import {
  type EditorState,
  errorAt,
  errorOfForm,
  formErrorOf,
  paramChanges,
  tryEdits,
} from './editor-state.js';
import { CheckField, EditDialog, SelectField } from './form-parts.js';
import { ServiceTreeEditor, specOf, type TreeItem, treeOf } from './service-tree-editor.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

const attrNames = [
  'autostart',
  'exclusive',
  'recovery',
  'max_restarts',
  'restart_expire_time',
  'domain',
  'depend',
];
const restarting = (recovery: string) =>
  recovery === '' || recovery === 'restart' || recovery === 'restart-disable';

function startingAttrs(service: ResourceConf | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of attrNames) out[name] = service?.attrs[name] ?? '';
  return out;
}

/** The attributes as the form says them: restart limits only where the policy restarts. */
function finalAttrs(attrs: Record<string, string>): Record<string, string> {
  if (restarting(attrs.recovery ?? '')) return attrs;
  return { ...attrs, max_restarts: '', restart_expire_time: '' };
}

function serviceEdits(
  service: ResourceConf | null,
  name: string,
  attrs: Record<string, string>,
  tree: readonly TreeItem[],
) {
  const wanted = finalAttrs(attrs);
  const changes = paramChanges(startingAttrs(service), wanted);
  const edits: ConfigEditRequestItem[] = service
    ? Object.keys(changes).length === 0
      ? []
      : [{ op: 'updateService', name, attrs: changes }]
    : [
        {
          op: 'addService',
          name,
          attrs: Object.fromEntries(Object.entries(wanted).filter(([, v]) => v !== '')),
        },
      ];
  // An unchanged tree is left as written (a `ref`'s own internals and overrides included).
  const spec = specOf(tree);
  const unchanged =
    service && JSON.stringify(spec) === JSON.stringify(specOf(treeOf(service.children)));
  if (!unchanged) edits.push({ op: 'setServiceTree', service: name, tree: spec });
  return edits;
}

/** The resources in the order the service starts them (rgmanager's typed child order). */
function StartOrder(props: {
  state: EditorState;
  name: string;
  edits: readonly ConfigEditRequestItem[];
}) {
  let order: string[];
  try {
    const conf = tryEdits(props.state, props.edits);
    const tree = buildResourceTrees(conf, props.state.catalog).trees.find(
      (t) => t.primaryValue === props.name,
    );
    order = tree
      ? startOrder(tree)
          .slice(1)
          .map((n) => `${n.type} ${n.primaryValue}`)
      : [];
  } catch (error) {
    return (
      <p className="muted" data-test="service-start-order-unavailable">
        Start order not available yet: {formErrorOf(error).message}
      </p>
    );
  }
  return (
    <div>
      <h3>Start order</h3>
      {order.length === 0 ? (
        <p className="muted">Nothing to start.</p>
      ) : (
        <ol className="start-order mono" data-test="service-start-order">
          {order.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ol>
      )}
      <p className="help">Stopping runs in the reverse order.</p>
    </div>
  );
}

/** A service's attributes, its resource tree and the start order that results. */
export function ServiceDialog(props: {
  editor: ConfigEditor;
  state: EditorState;
  service: ResourceConf | null;
  onClose: () => void;
}) {
  const { service, state } = props;
  const [name, setName] = useState(service?.params.name ?? '');
  const [attrs, setAttrs] = useState(() => startingAttrs(service));
  const [tree, setTree] = useState<TreeItem[]>(() => treeOf(service?.children ?? []));
  const { error, busy, submit } = useFormSave(props.editor, props.onClose);
  const set = (attr: string) => (value: string) => setAttrs({ ...attrs, [attr]: value });
  const edits = serviceEdits(service, name, attrs, tree);
  const others = (state.conf.rm?.services ?? [])
    .map((s) => s.params.name ?? '')
    .filter((n) => n !== name);
  const domains = (state.conf.rm?.failoverDomains ?? []).map((d) => d.name);
  return (
    <EditDialog
      title={service ? `Service ${service.params.name}` : 'Add a service'}
      open
      testId="service-form"
      busy={busy}
      generalError={errorOfForm(error, ['name', ...attrNames])}
      onClose={props.onClose}
      onSave={() => void submit(edits)}
    >
      <div className="service-form-grid">
        <div>
          <Field
            label="Name"
            testId="service-name"
            type="text"
            value={name}
            disabled={service !== null}
            onChange={(e) => setName(e.target.value)}
            error={errorAt(error, 'name')}
          />
          <CheckField
            label="Start automatically"
            testId="service-autostart"
            checked={attrs.autostart !== '0'}
            onChange={(c) => set('autostart')(c ? '1' : '0')}
          />
          <CheckField
            label="Exclusive (runs alone on its node)"
            testId="service-exclusive"
            checked={attrs.exclusive === '1'}
            onChange={(c) => set('exclusive')(c ? '1' : '')}
          />
          <SelectField
            label="Recovery policy"
            testId="service-recovery"
            value={attrs.recovery ?? ''}
            options={[
              { value: '', label: 'default (restart)' },
              ...['restart', 'relocate', 'disable', 'restart-disable'].map((v) => ({
                value: v,
                label: v,
              })),
            ]}
            onChange={set('recovery')}
            error={errorAt(error, 'recovery')}
          />
          {restarting(attrs.recovery ?? '') && (
            <>
              <Field
                label="Max restarts"
                testId="service-max-restarts"
                type="text"
                inputMode="numeric"
                placeholder="0 (no limit)"
                value={attrs.max_restarts ?? ''}
                onChange={(e) => set('max_restarts')(e.target.value)}
                error={errorAt(error, 'max_restarts')}
                help="Restarts allowed within the expire time before the service relocates (or is disabled)."
              />
              <Field
                label="Restart expire time"
                testId="service-restart-expire-time"
                type="text"
                placeholder="0 (never)"
                value={attrs.restart_expire_time ?? ''}
                onChange={(e) => set('restart_expire_time')(e.target.value)}
                error={errorAt(error, 'restart_expire_time')}
                help="How long a restart counts, e.g. 300 or 5m."
              />
            </>
          )}
          <SelectField
            label="Failover domain"
            testId="service-domain"
            value={attrs.domain ?? ''}
            options={[
              { value: '', label: '(any node)' },
              ...domains.map((d) => ({ value: d, label: d })),
            ]}
            onChange={set('domain')}
            error={errorAt(error, 'domain')}
          />
          <SelectField
            label="Depends on"
            testId="service-depend"
            value={attrs.depend ?? ''}
            options={[
              { value: '', label: '(nothing)' },
              ...others.map((s) => ({ value: `service:${s}`, label: `service:${s}` })),
            ]}
            onChange={set('depend')}
            error={errorAt(error, 'depend')}
          />
        </div>
        <div>
          <h3>Resources</h3>
          <ServiceTreeEditor state={state} items={tree} onChange={setTree} />
          <StartOrder state={state} name={name} edits={edits} />
        </div>
      </div>
    </EditDialog>
  );
}
