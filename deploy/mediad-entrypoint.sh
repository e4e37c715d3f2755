#!/bin/sh
# Starts mediad with an instance id that is unique per container.
#
# mediad's default id is "<host name>-<pid>". With `network_mode: host` every
# replica shares the host's name, and as a container's first process every
# replica is pid 1, so the defaults would collide (and so would their control
# sockets, $VOICE_SOCKET_DIR/mediad-<id>.sock, in the shared volume). The
# container id is unique per replica and stable across restarts of the same
# container, so roomd sees a restarted replica come back under its old name.
set -eu
if [ -z "${MEDIAD_ID:-}" ]; then
    container=$(sed -n 's#.*/containers/\([0-9a-f]\{12\}\)[0-9a-f]*/hostname .*#\1#p' /proc/self/mountinfo 2>/dev/null | head -n 1)
    if [ -z "$container" ]; then
        container=$(cut -c1-12 /proc/sys/kernel/random/uuid)
    fi
    MEDIAD_ID="$(hostname | cut -d. -f1)-$container"
    export MEDIAD_ID
fi
exec mediad "$@"
