# Shared by Quorate's built-in agents (POSIX sh). Sourced, never run. Parameters arrive as
# OCF_RESKEY_* variables and are only ever expanded inside double quotes: a value is data,
# never code.

OCF_SUCCESS=0
OCF_ERR_GENERIC=1
OCF_ERR_ARGS=2
OCF_ERR_UNIMPLEMENTED=3
OCF_ERR_PERM=4
OCF_ERR_INSTALLED=5
OCF_ERR_CONFIGURED=6
OCF_NOT_RUNNING=7

: "${OCF_CHECK_LEVEL:=0}"
: "${OCF_RESOURCE_INSTANCE:=${0##*/}}"

# ocf_log LEVEL MESSAGE…: one line on stderr, which the runner captures and logs.
ocf_log() {
  level=$1
  shift
  printf '%s: %s: %s\n' "$OCF_RESOURCE_INSTANCE" "$level" "$*" >&2
}

# exit_reason MESSAGE…: the line the runner reports as the reason of a failure.
exit_reason() {
  printf '%s%s\n' "${OCF_EXIT_REASON_PREFIX:-ocf-exit-reason:}" "$*" >&2
}

# fail CODE MESSAGE…: report and exit.
fail() {
  code=$1
  shift
  exit_reason "$*"
  exit "$code"
}

# is_true VALUE: rgmanager's boolean words.
is_true() {
  case $1 in
  1 | yes | YES | Yes | true | TRUE | True | on | ON | On) return 0 ;;
  *) return 1 ;;
  esac
}

# need_tool NAME…: ERR_INSTALLED unless every tool is on PATH.
need_tool() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || fail "$OCF_ERR_INSTALLED" "$tool is not installed"
  done
}

# mount_escape PATH: a path as /proc/mounts writes it (space, tab, newline, backslash octal).
mount_escape() {
  printf '%s' "$1" | sed -e 's/\\/\\134/g' -e 's/ /\\040/g' -e 's/	/\\011/g'
}

# mounted_source MOUNTPOINT: prints the source mounted there (the last mount wins), or fails.
mounted_source() {
  escaped=$(mount_escape "$1")
  awk -v mp="$escaped" '$2 == mp { src = $1; found = 1 } END { if (found) print src; exit !found }' \
    /proc/self/mounts
}

# kill_users MOUNTPOINT: kills the processes using a mount point (fuser from psmisc).
kill_users() {
  if ! command -v fuser >/dev/null 2>&1; then
    ocf_log err "fuser is not installed: cannot kill the processes that keep $1 busy"
    return 1
  fi
  ocf_log warning "killing processes that use $1"
  fuser -km "$1" >/dev/null 2>&1
  return 0
}

# unmount MOUNTPOINT FORCE [UMOUNT-FLAGS…]: unmounts, killing users between tries when FORCE.
unmount() {
  mp=$1
  force=$2
  shift 2
  tries=0
  while [ "$tries" -lt 3 ]; do
    umount "$@" "$mp" && return 0
    tries=$((tries + 1))
    is_true "$force" || return 1
    kill_users "$mp" || return 1
    sleep 1
  done
  return 1
}

# dispatch ACTION: runs the function named after the action (`validate-all` → validate_all).
dispatch() {
  case $1 in
  meta-data) meta_data; exit "$OCF_SUCCESS" ;;
  start) validate_all; start ;;
  stop) validate_all; stop ;;
  status | monitor) validate_all; status ;;
  validate-all) validate_all ;;
  *) fail "$OCF_ERR_UNIMPLEMENTED" "action ${1:-(none)} is not implemented" ;;
  esac
}
