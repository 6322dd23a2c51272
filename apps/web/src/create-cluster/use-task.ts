import { type TaskView, taskLiveMessageSchema, taskStartedSchema } from '@quorate/protocol';
import { useEffect, useState } from 'react';
import { callApi } from '../api/api-client.js';

export type TaskWatch =
  | { readonly kind: 'loading' }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'task'; readonly task: TaskView };

/**
 * Follows one task on its own socket: the server pushes the whole task at once and on every
 * step, and closes the socket when the task ends. A socket lost before the end falls back to
 * reading the task once, then follows it again.
 */
export function useTask(id: string): TaskWatch {
  const [watch, setWatch] = useState<TaskWatch>({ kind: 'loading' });
  useEffect(() => {
    let stopped = false;
    let socket: WebSocket | null = null;
    let ended = false;
    const show = (task: TaskView) => {
      ended = task.state !== 'running';
      if (!stopped) setWatch({ kind: 'task', task });
    };
    const follow = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(
        `${scheme}://${window.location.host}/api/tasks/${encodeURIComponent(id)}/live`,
      );
      socket.onmessage = (event) => {
        const parsed = taskLiveMessageSchema.safeParse(JSON.parse(String(event.data)));
        if (parsed.success) show(parsed.data.task);
      };
      socket.onclose = (event) => {
        if (stopped || ended) return;
        if (event.code === 4404) {
          setWatch({
            kind: 'missing',
            message: 'This console has no such task (it may have restarted).',
          });
          return;
        }
        void callApi('GET', `/api/tasks/${encodeURIComponent(id)}`, { schema: taskStartedSchema })
          .then(({ task }) => {
            show(task);
            if (!ended && !stopped) window.setTimeout(follow, 1000);
          })
          .catch((error: Error) => {
            if (!stopped) setWatch({ kind: 'missing', message: error.message });
          });
      };
    };
    follow();
    return () => {
      stopped = true;
      socket?.close();
    };
  }, [id]);
  return watch;
}
