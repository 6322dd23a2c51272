import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import type { FormError } from './editor-state.js';
import type { ConfigEditor } from './use-config-editor.js';

/** A form's save: busy while it runs, the refusal kept for the fields, `onSaved` once the review opens. */
export function useFormSave(editor: ConfigEditor, onSaved: () => void) {
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (edits: readonly ConfigEditRequestItem[]) => {
    if (edits.length === 0) {
      setError({ path: undefined, message: 'Nothing was changed.' });
      return;
    }
    setBusy(true);
    const refusal = await editor.save(edits);
    setBusy(false);
    setError(refusal);
    if (!refusal) onSaved();
  };
  return { error, busy, submit, setError };
}
