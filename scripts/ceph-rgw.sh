#!/usr/bin/env bash
# A throw-away one-node Ceph cluster (1 monitor, 1 memstore OSD, 1 radosgw) on 127.0.0.1,
# so the S3 store is tested against a real S3 implementation, not a mock.
#
#   scripts/ceph-rgw.sh start   # installs the Debian packages if missing, starts, prints the env
#   scripts/ceph-rgw.sh env     # prints the env of a running cluster again
#   scripts/ceph-rgw.sh stop    # kills the daemons it started and deletes the scratch dir
#
# Settings (env): CEPH_RGW_DIR (scratch dir, default /tmp/pprof-lens-ceph), CEPH_MON_PORT
# (default 16789), CEPH_RGW_PORT (default 17480). Everything binds to 127.0.0.1 only.
# `start` prints lines `export PPROF_LENS_S3_...=...` on stdout (progress goes to stderr).
set -euo pipefail

CMD=${1:-start}
D=${CEPH_RGW_DIR:-/tmp/pprof-lens-ceph}
MON_PORT=${CEPH_MON_PORT:-16789}
RGW_PORT=${CEPH_RGW_PORT:-17480}
# Fixed test credentials: this cluster is loopback-only and deleted after the tests.
ACCESS_KEY=PPROFLENSTESTACCESS0
SECRET_KEY=pprof-lens-test-secret-key-not-a-secret
BUCKET=${CEPH_RGW_BUCKET:-pprof-lens-test}

log() { echo "ceph-rgw: $*" >&2; }

print_env() {
  echo "export PPROF_LENS_STORE=s3"
  echo "export PPROF_LENS_S3_ENDPOINT=http://127.0.0.1:${RGW_PORT}"
  echo "export PPROF_LENS_S3_BUCKET=${BUCKET}"
  echo "export PPROF_LENS_S3_REGION=us-east-1"
  echo "export PPROF_LENS_S3_ACCESS_KEY=${ACCESS_KEY}"
  echo "export PPROF_LENS_S3_SECRET_KEY=${SECRET_KEY}"
}

ensure_packages() {
  local missing=()
  for bin in ceph-mon ceph-osd radosgw ceph ceph-authtool monmaptool radosgw-admin; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]} and not root: install radosgw ceph-mon ceph-osd ceph-common"
    exit 1
  fi
  log "installing radosgw ceph-mon ceph-osd ceph-common (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common >&2; }
}

stop_cluster() {
  # Read every pid first: a daemon removes its own pid file as it exits.
  local pids=() pidfile pid
  for pidfile in "$D"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile" 2>/dev/null || true)
    [ -n "$pid" ] && pids+=("$pid")
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Give the daemons a moment, then make sure they are gone (only the ones we started).
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  case "$D" in
    /tmp/*|/var/tmp/*) rm -rf "$D" ;;
    *) log "not deleting $D (outside /tmp)";;
  esac
}

start_cluster() {
  ensure_packages
  if [ -d "$D/run" ]; then
    log "stale cluster dir $D: stopping it first"
    stop_cluster
  fi
  mkdir -p "$D"/{mon,osd,run,log,rgw}
  local fsid conf
  fsid=$(cat /proc/sys/kernel/random/uuid)
  conf="$D/ceph.conf"
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:${MON_PORT}]
mon initial members = a
public addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $D/\$name.keyring
run dir = $D/run
pid file = $D/run/\$name.pid
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
mon max pg per osd = 1000
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${RGW_PORT}
rgw data = $D/rgw
EOF
  export CEPH_CONF="$conf"
  log "keys"
  ceph-authtool --create-keyring "$D/mon..keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$D/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$D/mon..keyring" --import-keyring "$D/client.admin.keyring" >/dev/null
  cp "$D/mon..keyring" "$D/mon.a.keyring"
  log "monitor on 127.0.0.1:${MON_PORT}"
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:${MON_PORT}]" "$D/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$D/monmap" --keyring "$D/mon..keyring" >&2
  ceph-mon -i a >&2
  log "osd (memstore)"
  local osd_id
  osd_id=$(timeout 60 ceph osd create)
  timeout 30 ceph auth get-or-create "osd.${osd_id}" mon 'allow profile osd' osd 'allow *' mgr 'allow profile osd' \
    -o "$D/osd.${osd_id}.keyring" >/dev/null
  ceph-osd -i "$osd_id" --mkfs >&2 2>"$D/log/osd-mkfs.err" || { cat "$D/log/osd-mkfs.err" >&2; exit 1; }
  timeout 30 ceph osd crush add-bucket localhost host >/dev/null 2>&1
  timeout 30 ceph osd crush move localhost root=default >/dev/null 2>&1
  timeout 30 ceph osd crush add "osd.${osd_id}" 1.0 host=localhost >/dev/null 2>&1
  ceph-osd -i "$osd_id" >&2
  log "radosgw on 127.0.0.1:${RGW_PORT}"
  timeout 30 ceph auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' -o "$D/client.rgw.a.keyring" >/dev/null
  radosgw -n client.rgw.a >&2
  local ok=0
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${RGW_PORT}") 2>/dev/null; then ok=1; break; fi
    sleep 0.1
  done
  if [ $ok = 0 ]; then
    log "radosgw did not open 127.0.0.1:${RGW_PORT}; last log lines:"
    tail -n 30 "$D/log/client.rgw.a.log" >&2 || true
    exit 1
  fi
  log "test user"
  timeout 60 radosgw-admin user create --uid=pprof-lens-test --display-name="pprof-lens tests" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  log "ready"
  print_env
}

case "$CMD" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
