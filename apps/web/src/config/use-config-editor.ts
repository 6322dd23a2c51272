import type { ConfigEditBody, ConfigEditRequestItem, ConfigPreview } from '@quorate/protocol';
import { useCallback, useEffect, useState } from 'react';
import { loadClusterConfig, previewConfigChange, sendConfigChange } from './config-api.js';
import {
  type EditorState,
  editorStateOf,
  type FormError,
  formErrorOf,
  tryEdits,
} from './editor-state.js';

/** A save waiting for "Send to cluster": what was asked and what it makes of the file. */
export interface PendingChange {
  readonly body: ConfigEditBody;
  readonly preview: ConfigPreview;
}

export interface ConfigEditor {
  readonly state: EditorState | null;
  readonly loadError: string | null;
  readonly pending: PendingChange | null;
  readonly sending: boolean;
  readonly sendError: string | null;
  /** The last change the cluster committed, for the page's notice. */
  readonly sent: ConfigPreview | null;
  /**
   * Checks the edits with the core's rules here, then has the console preview them; resolves
   * with the error for the form (nothing sent), or null once the review is open.
   */
  save(edits: readonly ConfigEditRequestItem[]): Promise<FormError | null>;
  send(): Promise<void>;
  /** A whole-file change (an upload, a rollback) the cluster committed: announce it, reload. */
  committed(result: ConfigPreview): Promise<void>;
  cancel(): void;
  reload(): Promise<void>;
}

/**
 * The editor's state for one cluster. `liveVersion` is the config_version the live status says
 * the agents applied: when it passes the loaded one (a change sent from here, or from ccs_tool),
 * the file is read again, from an agent that has it.
 */
export function useConfigEditor(cluster: string, liveVersion: number | undefined): ConfigEditor {
  const [state, setState] = useState<EditorState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingChange | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [sent, setSent] = useState<ConfigPreview | null>(null);

  const reload = useCallback(async () => {
    try {
      setState(editorStateOf(cluster, await loadClusterConfig(cluster)));
      setLoadError(null);
    } catch (error) {
      setLoadError(formErrorOf(error).message);
    }
  }, [cluster]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const loadedVersion = state?.view.version;
  useEffect(() => {
    if (liveVersion !== undefined && loadedVersion !== undefined && liveVersion > loadedVersion) {
      void reload();
    }
  }, [liveVersion, loadedVersion, reload]);

  const save = useCallback(
    async (edits: readonly ConfigEditRequestItem[]) => {
      if (!state) return { path: undefined, message: 'the configuration is not loaded yet' };
      try {
        tryEdits(state, edits);
        const body = { baseVersion: state.view.version, edits: [...edits] };
        const preview = await previewConfigChange(cluster, body);
        setSendError(null);
        setPending({ body, preview });
        return null;
      } catch (error) {
        return formErrorOf(error);
      }
    },
    [cluster, state],
  );

  const send = useCallback(async () => {
    if (!pending) return;
    setSending(true);
    try {
      const result = await sendConfigChange(cluster, pending.body);
      setPending(null);
      setSent(result);
      await reload();
    } catch (error) {
      setSendError(formErrorOf(error).message);
    } finally {
      setSending(false);
    }
  }, [cluster, pending, reload]);

  const committed = useCallback(
    async (result: ConfigPreview) => {
      setSent(result);
      await reload();
    },
    [reload],
  );

  const cancel = useCallback(() => {
    setPending(null);
    setSendError(null);
  }, []);

  return {
    state,
    loadError,
    pending,
    sending,
    sendError,
    sent,
    save,
    send,
    committed,
    cancel,
    reload,
  };
}
