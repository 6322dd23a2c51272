import { taskStartedSchema } from '@quorate/protocol';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, callApi } from '../api/api-client.js';
import type { FieldErrors } from './host-draft.js';

/**
 * Starts a long task (creating a cluster, adding a node) from its form, then follows it on the
 * task's page. What the browser `found` wrong stops it with nothing sent; the console's refusal
 * stands at the field it names, or above the form.
 */
export function useTaskStart() {
  const [, navigate] = useLocation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async (path: string, body: unknown, found: FieldErrors, onSending?: () => void) => {
    setGeneral(null);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    onSending?.();
    try {
      const { task } = await callApi('POST', path, { body, schema: taskStartedSchema });
      navigate(`/tasks/${task.id}`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.field) {
        setErrors({ [failure.field]: failure.message });
      } else {
        setGeneral(failure instanceof Error ? failure.message : String(failure));
      }
    } finally {
      setBusy(false);
    }
  };
  return { errors, general, busy, start };
}
