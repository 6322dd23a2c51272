#!/bin/sh
# Installs the Quorate agent from the unpacked archive this script sits in: the executable and
# its command links into PREFIX/bin, the built-in resource agents into
# PREFIX/lib/ocf/resource.d/quorate, the systemd unit, and the config (0755) and state (0700)
# directories. Running it again upgrades in place and keeps the config and state.
set -eu
umask 022

prefix=/opt/quorate
destdir=
config_dir=/etc/cluster
state_dir=/var/lib/quorate
unit_dir=/etc/systemd/system
install_unit=yes

usage() {
  cat <<'USAGE'
usage: install.sh [options]
  --prefix DIR      where the agent goes (default /opt/quorate)
  --config-dir DIR  cluster.conf directory, made with mode 0755 (default /etc/cluster)
  --state-dir DIR   state directory, made with mode 0700 (default /var/lib/quorate)
  --unit-dir DIR    where quorate-ricci.service goes (default /etc/systemd/system)
  --no-unit         do not install the systemd unit
  --destdir DIR     stage everything under DIR (the paths above stay as the node sees them)
USAGE
}

fail() {
  echo "install.sh: $*" >&2
  exit 2
}

# Absolute, and only characters that need no quoting in a unit file or a sed expression.
check_dir() {
  case $2 in
    /*) ;;
    *) fail "$1: \"$2\" must be an absolute path" ;;
  esac
  case $2 in
    *[!A-Za-z0-9._/-]*) fail "$1: \"$2\" may hold only letters, digits and . _ / -" ;;
  esac
}

while [ $# -gt 0 ]; do
  case $1 in
    --prefix | --config-dir | --state-dir | --unit-dir | --destdir)
      [ $# -ge 2 ] || fail "$1: needs a directory"
      check_dir "$1" "$2"
      case $1 in
        --prefix) prefix=$2 ;;
        --config-dir) config_dir=$2 ;;
        --state-dir) state_dir=$2 ;;
        --unit-dir) unit_dir=$2 ;;
        --destdir) destdir=$2 ;;
      esac
      shift 2
      ;;
    --no-unit) install_unit=no; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option \"$1\"" ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/bin/quorate" ] || fail "$here/bin/quorate is missing: run install.sh from the unpacked archive"
root=$destdir$prefix

mkdir -p "$root/bin" "$root/lib"
# A new file renamed over the old one: a running agent keeps its executable until it restarts.
cp "$here/bin/quorate" "$root/bin/.quorate.new"
chmod 0755 "$root/bin/.quorate.new"
mv -f "$root/bin/.quorate.new" "$root/bin/quorate"
for link in "$here"/bin/*; do
  [ -L "$link" ] || continue
  ln -sfn quorate "$root/bin/${link##*/}"
done

rm -rf "$root/lib/ocf.new"
cp -R "$here/lib/ocf" "$root/lib/ocf.new"
rm -rf "$root/lib/ocf"
mv "$root/lib/ocf.new" "$root/lib/ocf"
cp "$here/VERSION" "$root/VERSION"
cp "$here/README" "$root/README"
rm -rf "$root/share"
cp -R "$here/share" "$root/share"

mkdir -p "$destdir$config_dir" "$destdir$state_dir"
chmod 0755 "$destdir$config_dir"
chmod 0700 "$destdir$state_dir"

if [ "$install_unit" = yes ]; then
  mkdir -p "$destdir$unit_dir"
  sed -e "s|/opt/quorate/|$prefix/|g" \
    -e "s|QUORATE_CONFIG_DIR=/etc/cluster\$|QUORATE_CONFIG_DIR=$config_dir|" \
    -e "s|QUORATE_STATE_DIR=/var/lib/quorate\$|QUORATE_STATE_DIR=$state_dir|" \
    "$here/lib/systemd/system/quorate-ricci.service" >"$destdir$unit_dir/quorate-ricci.service"
  chmod 0644 "$destdir$unit_dir/quorate-ricci.service"
fi

echo "installed quorate-agent $(cat "$here/VERSION") in $prefix"
if [ "$install_unit" = yes ] && [ -z "$destdir" ]; then
  echo "start it with: systemctl daemon-reload && systemctl enable --now quorate-ricci"
fi
