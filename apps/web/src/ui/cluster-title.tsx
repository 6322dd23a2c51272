import { Link } from 'wouter';

const clusterPath = (cluster: string) => `/clusters/${encodeURIComponent(cluster)}`;

/** A page of one cluster, titled "Clusters / <cluster> / <page>", each step a link back. */
export function ClusterPageTitle(props: { readonly cluster: string; readonly page: string }) {
  return (
    <h1>
      <Link href="/" data-test="back-to-clusters">
        Clusters
      </Link>{' '}
      /{' '}
      <Link href={clusterPath(props.cluster)} className="mono">
        {props.cluster}
      </Link>{' '}
      / {props.page}
    </h1>
  );
}

/**
 * A page about one thing of a cluster (a node, a service), titled "<cluster> / <thing>" and
 * then `suffix`; the cluster's name links back to its page.
 */
export function ClusterSubjectTitle(props: {
  readonly cluster: string;
  readonly subject: string;
  readonly testId: string;
  readonly suffix?: string;
}) {
  return (
    <h1>
      <Link href={clusterPath(props.cluster)}>
        <span className="mono">{props.cluster}</span>
      </Link>{' '}
      /{' '}
      <span className="mono" data-test={props.testId}>
        {props.subject}
      </span>
      {props.suffix && ` / ${props.suffix}`}
    </h1>
  );
}
