# syntax=docker/dockerfile:1
# khabar's container image: `docker build -t khabar .` then
#   docker run --rm -p 50051:50051 -p 9090:9090 khabar serve --metrics-addr 0.0.0.0:9090
# The rules are embedded in the binary. Custom rules: mount a directory (a copy of rules/,
# edited) on /rules and reload on change:
#   docker run --rm -p 50051:50051 -v "$PWD/my-rules:/rules:ro" khabar serve --rules /rules --watch
# Every flag also reads an environment variable (KHABAR_ADDR, KHABAR_RULES, ...; see README).

# --- build: the release binary -------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# `khabar --version` names this commit: docker build --build-arg KHABAR_GIT_COMMIT=$(git rev-parse --short=12 HEAD) .
ARG KHABAR_GIT_COMMIT=unknown
ENV KHABAR_GIT_COMMIT=${KHABAR_GIT_COMMIT} \
    CARGO_INCREMENTAL=0 \
    CARGO_PROFILE_RELEASE_DEBUG=0
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto proto
COPY rules rules
COPY src src
COPY benches benches
# The crate registry and target directory are cached between builds (BuildKit); the binary is
# copied out of the cache in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin khabar \
    && cp target/release/khabar /usr/local/bin/khabar \
    && mkdir /rules

# --- run: glibc and libgcc only, no shell, user 65532 ------------------------------------------------
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/khabar /usr/local/bin/khabar
# The mount point of custom rules (empty: the embedded rules serve unless --rules /rules).
COPY --from=build --chown=65532:65532 /rules /rules
# Listen on every interface: 127.0.0.1, the binary's own default, is unreachable from outside
# a container.
ENV KHABAR_ADDR=0.0.0.0:50051
# gRPC; Prometheus metrics when started with --metrics-addr 0.0.0.0:9090.
EXPOSE 50051 9090
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/khabar"]
CMD ["serve"]
