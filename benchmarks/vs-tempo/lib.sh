# Shared by benchmarks/vs-tempo/run and profile (sourced after benchmarks/common.sh): Tempo, the load generator and
# the per-process CPU sampling.
TEMPO_BIN="${TEMPO_BIN:-/work/peers/tempo/tempo}"
TEMPO_OTLP_PORT="${TEMPO_OTLP_PORT:-14317}"
TEMPO_HTTP_PORT="${TEMPO_HTTP_PORT:-13200}"
TEMPO_GRPC_PORT="${TEMPO_GRPC_PORT:-19095}"
HZ=$(getconf CLK_TCK)
TEMPO_PID=""

field() { awk -F'\t' -v k="$2" '$1 == k {print $2}' "$1"; }

# Builds the load generator with a reactor build (never mvn install) when its sources are newer than its classpath.
build_loadgen() {
  local cp="$ROOT/loadgen/target/classpath.txt"
  if [ ! -f "$cp" ] || [ -n "$(find "$ROOT/loadgen/src" "$ROOT/shared/src" -newer "$cp" -print -quit 2>/dev/null)" ]; then
    (cd "$ROOT" && mvn -q -pl loadgen -am compile dependency:build-classpath -Dmdep.outputFile="$cp") >&2
  fi
}

# Tempo 2.0.1 as a single binary in DIR: loopback only, multitenancy off (tenant "single-tenant"), local backend,
# in-memory rings, the per-tenant ingestion limits raised (by default they cap ingest at 15 MB/s and 10,000 live
# traces).
start_tempo() { # DIR
  local dir=$1
  mkdir -p "$dir/wal" "$dir/blocks"
  cat >"$dir/tempo.yaml" <<YAML
target: all
multitenancy_enabled: false
server:
  http_listen_address: 127.0.0.1
  http_listen_port: $TEMPO_HTTP_PORT
  grpc_listen_address: 127.0.0.1
  grpc_listen_port: $TEMPO_GRPC_PORT
  log_level: warn
distributor:
  receivers:
    otlp:
      protocols:
        grpc:
          endpoint: 127.0.0.1:$TEMPO_OTLP_PORT
ingester:
  lifecycler:
    address: 127.0.0.1
    ring:
      kvstore:
        store: inmemory
      replication_factor: 1
compactor:
  ring:
    kvstore:
      store: inmemory
metrics_generator:
  ring:
    kvstore:
      store: inmemory
storage:
  trace:
    backend: local
    wal:
      path: $dir/wal
    local:
      path: $dir/blocks
overrides:
  ingestion_rate_limit_bytes: 1000000000
  ingestion_burst_size_bytes: 1000000000
  max_traces_per_user: 0
YAML
  "$TEMPO_BIN" -config.file="$dir/tempo.yaml" >"$dir/tempo.log" 2>&1 &
  TEMPO_PID=$!
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$TEMPO_HTTP_PORT/ready" 2>/dev/null && return 0
    kill -0 "$TEMPO_PID" 2>/dev/null || { tail -n 20 "$dir/tempo.log" >&2; echo "Tempo exited at start" >&2; exit 1; }
    sleep 1
  done
  tail -n 20 "$dir/tempo.log" >&2
  echo "Tempo was not ready after 120 s" >&2
  exit 1
}

# SIGTERM (Tempo flushes for 30-40 s), then SIGKILL after 90 s.
stop_tempo() {
  [ -n "$TEMPO_PID" ] || return 0
  kill "$TEMPO_PID" 2>/dev/null || true
  for _ in $(seq 1 180); do kill -0 "$TEMPO_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$TEMPO_PID" 2>/dev/null || true
  wait "$TEMPO_PID" 2>/dev/null || true
  TEMPO_PID=""
}

# CPU clock ticks of a PROCS entry's pids; "pg" is the suite's PostgreSQL: the postmaster (with the CPU of its
# children that have exited, e.g. autovacuum workers) and every live child (backends, background processes).
proc_ticks() { # pid-list|pg
  local pids=$1 pm="" files=() p
  if [ "$1" = pg ]; then
    pm=$(head -n1 "$STATE/pg/data/postmaster.pid" 2>/dev/null || true)
    [ -n "$pm" ] || { echo 0; return; }
    pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
  fi
  for p in $pids; do [ -r "/proc/$p/stat" ] && files+=("/proc/$p/stat"); done
  [ ${#files[@]} -gt 0 ] || { echo 0; return; }
  # One read of every pid (a busy machine makes a fork per pid slow); the postmaster adds its reaped children's CPU.
  # The fields are counted after the command name's closing parenthesis (names may hold spaces).
  awk -v pm="$pm" '{ line = $0; sub(/^.*\) /, "", line); split(line, f, " ");
                     t += f[12] + f[13]; if ($1 == pm) t += f[14] + f[15] } END { print t + 0 }' "${files[@]}" 2>/dev/null \
    || echo 0
}
# Memory of a PROCS entry, MiB: RSS of its pids; for PostgreSQL the sum of PSS (shared buffers counted once).
proc_mib() { # pid-list|pg
  local p t=0
  if [ "$1" = pg ]; then
    for p in $(pg_pids); do t=$((t + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done
    echo $((t / 1024))
  else
    for p in $1; do t=$((t + $(rss_mib "$p"))); done
    echo "$t"
  fi
}

# Runs the load generator (the llm4 traffic) with OUT as its summary and the given options (which must include
# --warmup=Ns and --duration=Ns), sampling the PROCS entries (name=pid-list|pg) and the load generator over
# [start + warm-up + 1.5 s, start + warm-up + duration]: inside the load generator's measured period as long as its
# JVM starts within 1.5 s. Sets CPU[name] (clock ticks, and CPU[loadgen]), RSS[name] (highest, MiB), WIN_START and
# WIN_END (epoch s).
run_loadgen() { # OUT options...
  local out=$1; shift
  local warm dur a
  for a in "$@"; do
    case "$a" in --warmup=*) warm=${a#--warmup=}; warm=${warm%s} ;; --duration=*) dur=${a#--duration=}; dur=${dur%s} ;; esac
  done
  local launched
  launched=$(date +%s.%N)
  java ${LOADGEN_JAVA_OPTS:--Xmx1g} -cp "$ROOT/loadgen/target/classes:$(cat "$ROOT/loadgen/target/classpath.txt")" \
    io.llmobservatory.loadgen.LoadGen --protocol=grpc --shape=llm4 --dialects=otel:1 --errors=0.05 --progress=10s \
    --fail-on-loss=false --out="$out" "$@" >&2 &
  local load=$! e name
  declare -gA CPU=() RSS=() START=()
  sleep_until "$(awk -v l="$launched" -v w="$warm" 'BEGIN {printf "%.3f", l + w + 1.5}')"
  WIN_START=$(date +%s.%N)
  START[loadgen]=$(ticks "$load")
  for e in "${PROCS[@]}"; do START[${e%%=*}]=$(proc_ticks "${e#*=}"); done
  local end rss_log=$out.rss sampler
  end=$(awk -v l="$launched" -v w="$warm" -v d="$dur" 'BEGIN {printf "%.3f", l + w + d}')
  # Memory is sampled every 2 s by a background job, so that a slow sample (PSS of every PostgreSQL process on a
  # busy machine) cannot delay the window's end.
  (
    while :; do
      for e in "${PROCS[@]}"; do printf '%s\t%s\n' "${e%%=*}" "$(proc_mib "${e#*=}")"; done
      sleep 2
    done
  ) >"$rss_log" 2>/dev/null &
  sampler=$!
  sleep_until "$end"
  WIN_END=$(date +%s.%N)
  # The load generator first: it exits soon after the window.
  CPU[loadgen]=$(( $(ticks "$load") - START[loadgen] ))
  kill -0 "$load" 2>/dev/null || echo "warning: the load generator ended before the CPU window did" >&2
  for e in "${PROCS[@]}"; do CPU[${e%%=*}]=$(( $(proc_ticks "${e#*=}") - START[${e%%=*}] )); done
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  while IFS=$'\t' read -r name m; do
    [ -n "$m" ] && [ "$m" -gt "${RSS[$name]:-0}" ] && RSS[$name]=$m
  done <"$rss_log"
  local late
  late=$(awk -v a="$WIN_END" -v e="$end" 'BEGIN {printf "%.1f", a - e}')
  awk -v l="$late" 'BEGIN {exit !(l > 1)}' && echo "warning: the CPU window ended ${late}s late (busy machine)" >&2
  wait "$load"
}

sleep_until() { # epoch seconds
  local d
  d=$(awk -v t="$1" -v n="$(date +%s.%N)" 'BEGIN {d = t - n; printf "%.3f", (d > 0 ? d : 0)}')
  sleep "$d"
}
