import type { ServiceStatus } from '@quorate/protocol';

type State = ServiceStatus['state'];

/** UI.md's state colours, each with an icon and rgmanager's own word, never colour alone. */
const looks: Record<State, { tone: string; icon: string }> = {
  started: { tone: 'ok', icon: '●' },
  starting: { tone: 'busy', icon: '◐' },
  stopping: { tone: 'busy', icon: '◐' },
  migrating: { tone: 'busy', icon: '◐' },
  failed: { tone: 'bad', icon: '✕' },
  recovering: { tone: 'warn', icon: '↻' },
  stopped: { tone: 'idle', icon: '○' },
  disabled: { tone: 'idle', icon: '○' },
  uninitialized: { tone: 'idle', icon: '?' },
};
/** The same looks wherever else a state is drawn (a service's history chart). */
export const serviceStateLooks: Readonly<typeof looks> = looks;

export function ServiceState(props: { state: State }) {
  const look = looks[props.state];
  return (
    <span className="state" data-tone={look.tone} data-test="service-state">
      <span aria-hidden="true">{look.icon}</span> {props.state}
    </span>
  );
}
