import type { RmConfig } from '@quorate/core';
import type { ClusterStatus } from '@quorate/protocol';
import { useEffect, useMemo, useState } from 'react';
import { loadClusterConfig } from '../config/config-api.js';
import { useLive } from '../live/live-provider.js';
import { ClusterPageTitle } from '../ui/cluster-title.js';
import { DataTable, EmptyState } from '../ui/data-table.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { type PlannedMove, predict, rmConfigOf, type WhatIfRow } from './what-if-model.js';
import './what-if.css';

/** The committed cluster.conf, read again whenever the live status shows a new version. */
function useRmConfig(cluster: string, liveVersion: number | undefined) {
  const [loaded, setLoaded] = useState<{ version: number; config: RmConfig } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (liveVersion === undefined) return;
    let current = true;
    loadClusterConfig(cluster)
      .then((view) => {
        if (current) setLoaded({ version: view.version, config: rmConfigOf(view.text) });
      })
      .catch((failure: unknown) => {
        if (current) setError(failure instanceof Error ? failure.message : String(failure));
      });
    return () => {
      current = false;
    };
  }, [cluster, liveVersion]);
  return { loaded, error };
}

function FailNodes(props: {
  status: ClusterStatus;
  failing: readonly string[];
  onChange: (nodes: string[]) => void;
}) {
  const toggle = (name: string, on: boolean) =>
    props.onChange(on ? [...props.failing, name] : props.failing.filter((n) => n !== name));
  return (
    <fieldset data-test="what-if-nodes">
      <legend>Nodes that fail</legend>
      {props.status.members.map((m) => (
        <label key={m.name} className="check">
          <input
            type="checkbox"
            data-test="what-if-fail-node"
            data-node={m.name}
            disabled={!m.online}
            checked={props.failing.includes(m.name)}
            onChange={(e) => toggle(m.name, e.target.checked)}
          />
          <span className="mono">{m.name}</span>
          {!m.online && <span className="muted">(offline now)</span>}
        </label>
      ))}
    </fieldset>
  );
}

function Moves(props: {
  status: ClusterStatus;
  moves: readonly PlannedMove[];
  onChange: (moves: PlannedMove[]) => void;
}) {
  const services = props.status.services.map((s) => s.id);
  const nodes = props.status.members.map((m) => m.name);
  const [service, setService] = useState(services[0] ?? '');
  const [target, setTarget] = useState(nodes[0] ?? '');
  return (
    <fieldset data-test="what-if-moves">
      <legend>Services to move (in order)</legend>
      {props.moves.length === 0 && <p className="muted">None yet: choose a service and a node.</p>}
      <ol className="what-if-moves">
        {props.moves.map((move, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: moves are an ordered list; the same move may repeat.
          <li key={i} data-test="what-if-move">
            <span className="mono">{move.service}</span>
            <span className="what-if-arrow">→</span>
            <span className="mono">{move.target}</span>
            <button
              type="button"
              onClick={() => props.onChange(props.moves.filter((_, j) => j !== i))}
              aria-label={`Remove the move of ${move.service} to ${move.target}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="what-if-add">
        <select
          aria-label="Service to move"
          data-test="what-if-move-service"
          value={service}
          onChange={(e) => setService(e.target.value)}
        >
          {services.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <span className="what-if-arrow">→</span>
        <select
          aria-label="Node to move it to"
          data-test="what-if-move-target"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        >
          {nodes.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <button
          type="button"
          data-test="what-if-add-move"
          disabled={!service || !target}
          onClick={() => props.onChange([...props.moves, { service, target }])}
        >
          Add move
        </button>
      </div>
    </fieldset>
  );
}

function PredictionTable(props: { rows: readonly WhatIfRow[] }) {
  return (
    <DataTable
      testId="what-if-table"
      headers={['Service', 'Now', 'After', 'Why']}
      rows={props.rows}
      empty={
        <EmptyState testId="what-if-empty">
          No services in cluster.conf — nothing to place.
        </EmptyState>
      }
      renderRow={(row) => (
        <tr key={row.service} data-test="what-if-row" data-moved={row.moved}>
          <td className="mono" data-test="what-if-service">
            {row.service}
          </td>
          <td className="mono" data-test="what-if-before">
            {row.before}
          </td>
          <td className="mono" data-test="what-if-after">
            {row.after}
            {row.leftStopped && (
              <span className="badge" data-test="what-if-stopped-badge">
                left stopped
              </span>
            )}
          </td>
          <td data-test="what-if-reason">{row.reason}</td>
        </tr>
      )}
    />
  );
}

function Prediction(props: { config: RmConfig; status: ClusterStatus }) {
  const [failing, setFailing] = useState<string[]>([]);
  const [moves, setMoves] = useState<PlannedMove[]>([]);
  const { result, rows } = useMemo(
    () => predict(props.config, props.status, { failNodes: failing, moves }),
    [props.config, props.status, failing, moves],
  );
  const stopped = rows.filter((r) => r.leftStopped);
  return (
    <>
      <div className="what-if-scenario">
        <FailNodes status={props.status} failing={failing} onChange={setFailing} />
        <Moves status={props.status} moves={moves} onChange={setMoves} />
      </div>
      {result.refusedMoves.length > 0 && (
        <Notice tone="bad" testId="what-if-refused">
          <strong>The cluster would refuse:</strong>
          <ul>
            {result.refusedMoves.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: recomputed whole on every change; no identity.
              <li key={i} data-test="what-if-refused-move">
                <span className="mono">{m.service}</span> to{' '}
                <span className="mono">{m.target}</span>: {m.message}
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {stopped.length > 0 && (
        <Notice tone="bad" testId="what-if-left-stopped">
          Left stopped: {stopped.map((r) => r.service).join(', ')} — nowhere allowed to run.
        </Notice>
      )}
      <PredictionTable rows={rows} />
    </>
  );
}

/**
 * "What if": nodes fail or services move, and the core's resource manager — the same placement
 * the cluster's leader runs — predicts where every service goes, in this browser, from the
 * committed cluster.conf and the live status. Nothing is sent to the cluster.
 */
export default function WhatIfPage(props: { params: { name: string } }) {
  const cluster = decodeURIComponent(props.params.name);
  const status = useLive().statuses[cluster]?.status ?? null;
  const { loaded, error } = useRmConfig(cluster, status?.cluster.configVersion);
  return (
    <>
      <div className="page-head">
        <ClusterPageTitle cluster={cluster} page="What if" />
        {loaded && (
          <span className="muted">
            cluster.conf version{' '}
            <span className="mono" data-test="what-if-config-version">
              {loaded.version}
            </span>
          </span>
        )}
      </div>
      <p className="explain">
        Choose nodes that fail and services to move: the cluster's own placement rules predict where
        every service would go, computed in this browser. Nothing is sent to the cluster.
      </p>
      <ErrorNotice testId="what-if-error" message={error} />
      {!status && (
        <p className="muted" data-test="what-if-no-status">
          No status from the agents yet.
        </p>
      )}
      {status && loaded && <Prediction config={loaded.config} status={status} />}
    </>
  );
}
