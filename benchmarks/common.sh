# Shared by the benchmark scripts (sourced after ROOT is set): where ./observatory keeps the suite's state and
# PostgreSQL, and how the scripts read it and /proc.
STATE="${OBSERVATORY_STATE_DIR:-/tmp/observatory-$(id -u)-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)}"
PG_PORT="${OBSERVATORY_PG_PORT:-54329}"
PG_BIN="${OBSERVATORY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)}"

# A PostgreSQL client program (psql, pg_dump) against the suite's server; as the postgres user when run as root.
pg_client() {
  local tool=$1; shift
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/$tool" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
  else "$PG_BIN/$tool" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; fi
}
# psql against the suite's database, unaligned and quiet.
psql_() { pg_client psql -d observatory -v ON_ERROR_STOP=1 -qtA "$@"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime + stime, clock ticks
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
pg_pids() { # the suite's PostgreSQL: postmaster and its children; nothing when it is not running
  local pm
  pm=$(head -n1 "$STATE/pg/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$pm" ] || return 0
  echo "$pm" $(pgrep -P "$pm" || true)
}
pg_ticks() { local t=0 p; for p in $(pg_pids); do t=$((t + $(ticks "$p"))); done; echo "$t"; }
# Waits (up to 5 min) until enrich's rollup drainer has emptied the tenant's rollup queue.
wait_drained() {
  for _ in $(seq 1 600); do
    [ "$(psql_ -c "SELECT (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '$1')
                        + (SELECT count(*) FROM llm_call_user_rollup_queue WHERE tenant = '$1')")" = 0 ] && return 0
    sleep 0.5
  done
  echo "the rollup queues of $1 were not drained in 5 min" >&2
}
# Lets PostgreSQL settle after a burst of writes: a checkpoint of its WAL, then (up to 3 min) until no autovacuum
# worker runs (the burst's new rows are analyzed and vacuumed), so what is timed next does not share the machine with
# the burst's after-effects.
settle() {
  psql_ -c "CHECKPOINT" >/dev/null
  for _ in $(seq 1 180); do
    [ "$(psql_ -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" = 0 ] && return 0
    sleep 1
  done
}
# The tables holding a tenant's spans, LLM calls, queued calls and rollup rows.
TENANT_TABLES=(spans llm_calls llm_call_rollup_queue llm_call_user_rollup_queue llm_calls_1h llm_calls_user_1d
  llm_calls_model_1m llm_calls_model_1h llm_calls_model_1d llm_calls_latency_1m llm_calls_latency_1h llm_calls_latency_1d)
# Deletes a tenant's rows from them (a max-load run leaves ~1 GB), then vacuums them now, so the dead rows are not
# cleaned by an autovacuum during the next measurement: after a max-load run's delete, autovacuum spent minutes on
# the day's spans partition while the next run was being timed.
delete_tenant_rows() {
  local sql="" table args=()
  for table in "${TENANT_TABLES[@]}"; do
    sql="$sql DELETE FROM $table WHERE tenant = '$1';"
    args+=(-c "VACUUM $table")
  done
  psql_ -c "$sql" >/dev/null
  psql_ "${args[@]}" >/dev/null
}
# Times a query API request (3 warm-up, then REPS timed) as $TENANT with $KEY against $URL:
api() { # name path: prints "name p50 p95 max reps" (ms)
  local name=$1 path=$2 i t
  for i in 1 2 3; do curl -fsS -o /dev/null -H "X-Scope-OrgID: $TENANT" -H "Authorization: Bearer $KEY" "$URL$path"; done
  for i in $(seq "$REPS"); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "X-Scope-OrgID: $TENANT" -H "Authorization: Bearer $KEY" "$URL$path"
  done | sort -n | awk -v name="$name" '{ v[NR] = $1 * 1000 } END {
      p50 = v[int((NR + 1) * 0.5)]; i95 = int(NR * 0.95 + 0.999); if (i95 > NR) i95 = NR;
      printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", name, p50, v[i95], v[NR], NR }'
}
