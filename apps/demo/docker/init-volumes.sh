#!/bin/sh
# docker-compose's one-shot `init` service: the cluster's certificates (made once, with the
# bundle's `quorate cert`, as the test hosts make them) and cluster.conf, copied into each node's
# volumes unless already there, so a restart keeps what the cluster committed since.
set -eu
made=/nodes/certs
if [ ! -f "$made/ca.crt" ]; then
  /opt/quorate/bin/quorate cert ca --cluster compose --dir "$made"
  for node in node1 node2 node3; do
    /opt/quorate/bin/quorate cert node "$node" --dir "$made"
  done
fi
for node in node1 node2 node3; do
  state=/nodes/$node/state
  tls=$state/tls
  mkdir -p "$tls"
  chmod 700 "$state" "$tls"
  for file in ca.crt "node-$node.crt" "node-$node.key"; do
    [ -f "$tls/$file" ] || cp -p "$made/$file" "$tls/$file"
  done
  conf=/nodes/$node/cluster/cluster.conf
  [ -f "$conf" ] || cp /opt/quorate-demo/cluster.conf "$conf"
done
