import type { ClusterStatus } from '@quorate/protocol';

/** clustat's header made visible: quorate or not, votes of expected, the quorum, the lock. */
export function QuorumBanner(props: { status: ClusterStatus }) {
  const { quorum, resourceManager, cluster } = props.status;
  return (
    <section
      className="banner"
      data-tone={quorum.quorate ? 'ok' : 'bad'}
      data-test="quorum-banner"
      aria-label="Quorum"
    >
      <span className="state" data-tone={quorum.quorate ? 'ok' : 'bad'} data-test="quorum-state">
        <span aria-hidden="true">{quorum.quorate ? '●' : '✕'}</span>{' '}
        {quorum.quorate ? 'Quorate' : 'Inquorate'}
      </span>
      <span data-test="quorum-votes">
        {quorum.totalVotes} of {quorum.expectedVotes} votes, quorum {quorum.quorum}
      </span>
      <span>
        Leader <span className="mono">{quorum.leader ?? '(none)'}</span>
      </span>
      <span>
        config_version <span className="mono">{cluster.configVersion}</span>
      </span>
      <span
        className="state"
        data-tone={resourceManager.locked ? 'warn' : 'idle'}
        data-test="lock-state"
      >
        <span aria-hidden="true">{resourceManager.locked ? '■' : '□'}</span>{' '}
        {resourceManager.locked ? 'Resource groups locked' : 'Resource groups unlocked'}
      </span>
    </section>
  );
}
