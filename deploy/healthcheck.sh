#!/bin/sh
# Docker health check for roomd, signald and mediad: GET /healthz on the port
# the service actually listens on.
#   parley-healthcheck PORT   checks http://127.0.0.1:PORT/healthz
#   parley-healthcheck        finds the TCP port the mediad (or roomd/signald)
#                             process of this container listens on; needed for
#                             mediad, whose MEDIAD_HTTP is a range and which
#                             binds the first free port of it.
set -eu
port="${1:-}"
if [ -z "$port" ]; then
    inodes=""
    for dir in /proc/[0-9]*; do
        case "$(cat "$dir/comm" 2>/dev/null)" in
            mediad|roomd|signald)
                inodes="$inodes $(ls -l "$dir/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p')" ;;
        esac
    done
    for inode in $inodes; do
        # /proc/net/tcp: local_address is "IP:PORT" in hex, state 0A is LISTEN, column 10 the inode.
        hex=$(awk -v inode="$inode" '$4 == "0A" && $10 == inode { split($2, a, ":"); print a[2]; exit }' /proc/net/tcp /proc/net/tcp6)
        if [ -n "$hex" ]; then port=$(printf '%d' "0x$hex"); break; fi
    done
fi
[ -n "$port" ] || { echo "no listening port found"; exit 1; }
exec curl -fsS --max-time 3 "http://127.0.0.1:$port/healthz"
