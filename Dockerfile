# syntax=docker/dockerfile:1
# Parley: one image holding roomd, signald and mediad (docker-compose.yml picks
# which one each service runs). Build: `docker build -t parley .`

# ---- build stage: Swift toolchain + the C libraries' headers ----
FROM swift:6.1-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopus-dev libsrtp2-dev libnss3-dev libssl-dev libsqlite3-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits do not refetch them.
COPY Package.swift Package.resolve[d] ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib \
 && bin="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
 && mkdir -p /out \
 && cp "$bin/roomd" "$bin/signald" "$bin/mediad" /out/

# ---- runtime stage: slim Debian with only the shared libraries ----
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopus0 libsrtp2-1 libssl3 libsqlite3-0 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 parley \
 && useradd --system --uid 10001 --gid parley --home-dir /app --shell /usr/sbin/nologin parley \
 && mkdir -p /app/bin /app/data /run/parley \
 && chown parley:parley /app/data /run/parley \
 && chmod 0700 /run/parley
COPY --from=build /out/roomd /out/signald /out/mediad /app/bin/
COPY deploy/mediad-entrypoint.sh /app/bin/parley-mediad
COPY deploy/healthcheck.sh /app/bin/parley-healthcheck
COPY Clients/web /app/Clients/web
ENV PATH=/app/bin:$PATH \
    VOICE_SOCKET_DIR=/run/parley \
    ROOMD_DB=/app/data/roomd.sqlite \
    ROOMD_WEB_ROOT=/app/Clients/web \
    ROOMD_HTTP=0.0.0.0:8080 \
    SIGNALD_HTTP=0.0.0.0:8081 \
    MEDIAD_UDP=0.0.0.0:40000-40099 \
    MEDIAD_HTTP=0.0.0.0:8090-8189
USER parley
WORKDIR /app
# The named volumes for the database and the sockets are created from these
# directories, so they start out owned by the parley user.
VOLUME ["/app/data", "/run/parley"]
EXPOSE 8080 8081
# Finds the port the service in this container listens on (mediad binds the
# first free one of its MEDIAD_HTTP range) and asks its /healthz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["parley-healthcheck"]
CMD ["roomd"]
