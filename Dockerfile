# Images for docker-compose.yml. Build the agent bundle on the host first (`pnpm bundle`):
#   agent    a cluster node: the same archive the console's SSH bootstrap and the test hosts
#            install (apps/ricci/bundle/out/), installed by its own install.sh with the test
#            hosts' options; no Node.js in the image.
#   console  the console server (luci) and the built web app, built from this repository.

FROM debian:12-slim AS agent
# The built-in agents' tools: ip and arping for `ip`, busybox httpd for the demo web service.
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 iputils-arping busybox procps psmisc \
 && rm -rf /var/lib/apt/lists/*
COPY apps/ricci/bundle/out/quorate-agent-*-linux-x64.tar.gz /tmp/
RUN mkdir /tmp/quorate-agent \
 && tar -xzf /tmp/quorate-agent-*-linux-x64.tar.gz -C /tmp/quorate-agent --strip-components=1 \
 && sh /tmp/quorate-agent/install.sh --prefix /opt/quorate --unit-dir /opt/quorate/systemd \
 && rm -rf /tmp/quorate-agent /tmp/quorate-agent-*-linux-x64.tar.gz
COPY apps/demo/docker/ /opt/quorate-demo/
# clustat, clusvcadm and the others talk to the agent's socket in its state volume.
ENV PATH=/opt/quorate/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    QUORATE_SOCKET=/var/lib/quorate/ricci.sock
EXPOSE 11111
# SIGTERM makes the agent leave the cluster cleanly (cman_tool leave).
STOPSIGNAL SIGTERM
CMD ["/opt/quorate/bin/ricci", "--help"]

FROM node:20-bookworm AS console
# better-sqlite3 compiles against this image's Node.js headers (toolchain.md §3.2).
ENV npm_config_nodedir=/usr/local CI=true
RUN npm i -g pnpm@12.4.2
WORKDIR /opt/quorate
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm build:web
EXPOSE 8084
STOPSIGNAL SIGTERM
CMD ["node", "apps/luci/dist/main.js", "--data-dir", "/var/lib/quorate/luci"]
