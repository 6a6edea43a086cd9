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
  wait_logged
  for _ in $(seq 1 600); do
    [ "$(psql_ -c "SELECT (SELECT count(*) FROM llm_call_rollup_queue WHERE tenant = '$1')
                        + (SELECT count(*) FROM llm_call_user_rollup_queue WHERE tenant = '$1')")" = 0 ] && return 0
    sleep 0.5
  done
  echo "the rollup queues of $1 were not drained in 5 min" >&2
}
# Waits (up to 5 min) until enrich's write-ahead log, when it has one, holds nothing not yet in PostgreSQL.
wait_logged() {
  local url="http://127.0.0.1:$((8081 + ${OBSERVATORY_PORT_OFFSET:-0}))/q/metrics" backlog
  for _ in $(seq 1 600); do
    backlog=$(curl -fsS "$url" 2>/dev/null | awk '/^observatory_enrich_wal_backlog_bytes / {print $2}')
    [ -z "$backlog" ] && return 0
    awk -v b="$backlog" 'BEGIN {exit !(b == 0)}' && return 0
    sleep 0.5
  done
  echo "enrich's write-ahead log still held $backlog bytes after 5 min" >&2
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
# Loads ROWS LLM calls and SPANS spans for TENANT (30 days ending now; see query-load) unless the tenant already has
# exactly ROWS calls; the rollups are rebuilt from the rows. Shared by query-load and console-render.
load_bench_calls() { # tenant rows spans
  local tenant=$1 rows=$2 spans=$3 have start
  have=$(psql_ -c "SELECT count(*) FROM llm_calls WHERE tenant = '$tenant'")
  [ "$have" = "$rows" ] && return 0
  echo "loading $rows LLM calls and $spans spans for tenant $tenant (once; a few minutes)" >&2
  start=$(date +%s)
  psql_ <<SQL
SET synchronous_commit = off;
DELETE FROM llm_calls WHERE tenant = '$tenant';
DELETE FROM spans WHERE tenant = '$tenant';
-- 30 days ending now, evenly spread; 8 models over 4 providers, 2000 users, 5 services, 2 % errors.
INSERT INTO llm_calls (tenant, trace_id, span_id, time, service_name, provider, model, input_tokens, output_tokens,
                       cache_read_tokens, input_cost_usd, output_cost_usd, cost_usd, priced, price_source,
                       status_code, error_type, duration_ns, user_id, session_id, dialect, tokens_per_second,
                       cost_source)
SELECT '$tenant', decode(lpad(to_hex(g), 32, '0'), 'hex'), decode(lpad(to_hex(g), 16, '0'), 'hex'),
       now() - (g::float8 / $rows) * interval '30 days',
       'svc-' || (g % 5), (ARRAY['openai','openai','anthropic','anthropic','google','google','mistral','openai'])[(1 + g % 8)::int],
       (ARRAY['gpt-4o','gpt-4o-mini','claude-3-5-sonnet','claude-3-haiku','gemini-1.5-pro','gemini-1.5-flash',
              'mistral-large','o1'])[(1 + g % 8)::int],
       200 + (g * 7919) % 4000, 20 + (g::bigint * 104729) % 800, (g * 31) % 500,
       ((200 + (g * 7919) % 4000) * 0.0000025)::numeric, ((20 + (g::bigint * 104729) % 800) * 0.00001)::numeric,
       ((200 + (g * 7919) % 4000) * 0.0000025 + (20 + (g::bigint * 104729) % 800) * 0.00001)::numeric, true, 'bench',
       CASE WHEN g % 50 = 0 THEN 2 ELSE 0 END, CASE WHEN g % 50 = 0 THEN 'RateLimitError' END,
       (150 + (g::bigint * 2654435761) % 9000) * 1000000::bigint, 'user-' || (g % 2000), 'session-' || (g % 200000),
       'otel-genai', 20 + (g % 80), 'computed'
FROM generate_series(1::bigint, $rows) g;
SELECT rebuild_query_rollups('$tenant');
INSERT INTO spans (tenant, trace_id, span_id, name, kind, start_time, start_time_unix_nano, end_time_unix_nano,
                   duration_ns, status_code, service_name, attributes, events, links, resource_attributes,
                   scope_attributes)
SELECT '$tenant', decode(lpad(to_hex(g), 32, '0'), 'hex'), decode(lpad(to_hex(g), 16, '0'), 'hex'),
       'chat ' || (ARRAY['gpt-4','gpt-4o','claude-3-5-sonnet','gemini-1.5-pro'])[(1 + g % 4)::int], 3,
       to_timestamp(t), (t * 1e9)::bigint, (t * 1e9)::bigint + d, d, CASE WHEN g % 50 = 0 THEN 2 ELSE 0 END,
       'svc-' || (g % 5),
       jsonb_build_object('llm.model', (ARRAY['gpt-4','gpt-4o','claude-3-5-sonnet','gemini-1.5-pro'])[(1 + g % 4)::int],
                          'gen_ai.usage.input_tokens', 200 + g % 4000),
       '[]', '[]', jsonb_build_object('service.name', 'svc-' || (g % 5)), '{}'
FROM (SELECT g, extract(epoch FROM now() - (g::float8 / $spans) * interval '30 days') AS t,
             (150 + (g::bigint * 2654435761) % 9000) * 1000000::bigint AS d
      FROM generate_series(1::bigint, $spans) g) s;
ANALYZE;
SQL
  echo "loaded in $(( $(date +%s) - start ))s" >&2
}
