import type { ConfigPreview } from '@quorate/protocol';
import { useState } from 'react';
import { formErrorOf } from './editor-state.js';
import type { ConfigEditor } from './use-config-editor.js';

/**
 * Sends a whole-file change the user reviewed (an upload, a rollback): `sending` while it runs;
 * once committed the review closes (`onSent`) and the editor announces the new version; a
 * refusal's message goes to `onFailure`, the review staying open.
 */
export function useFileSend(editor: ConfigEditor, onFailure: (message: string) => void) {
  const [sending, setSending] = useState(false);
  const send = async (commit: () => Promise<ConfigPreview>, onSent: () => void) => {
    setSending(true);
    try {
      const result = await commit();
      onSent();
      await editor.committed(result);
    } catch (e) {
      onFailure(formErrorOf(e).message);
    } finally {
      setSending(false);
    }
  };
  return { sending, send };
}
