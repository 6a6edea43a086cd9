#!/usr/bin/env python3
"""Aggregates `jfr print --events jdk.ExecutionSample` output: top self frames, top packages (of the self frame), the
suite's own frames (the top-most io.llmobservatory frame of each sample, and inclusive: samples with the frame
anywhere in the stack), and thread groups, each as a share of all samples. Usage: jfr-top.py samples.txt [N]."""
import collections
import re
import sys

OWN = "io.llmobservatory."


def method(frame):
    frame = re.sub(r"\s+line:.*$", "", frame.strip())
    return re.sub(r"\(.*\)$", "", frame)


def package(m, depth=4):
    parts = m.split(".")
    cls = [i for i, p in enumerate(parts) if p[:1].isupper()]
    pkg = parts[: cls[0]] if cls else parts[:-2]
    return ".".join(pkg[:depth])


# What each sample was doing: the leaf-most frame that names a stage (frames of the JDK, Netty's buffers and the
# generated OTLP getters are skipped: they serve whoever called them).
STAGES = [
    ("PII scrubbing", ("io.llmobservatory.enrich.pii.", "io.llmobservatory.pii.")),
    ("GenAI attribute extraction", ("io.llmobservatory.enrich.genai.",)),
    ("cost (price lookup, computation)", ("io.llmobservatory.enrich.cost.",)),
    ("row mapping (statement parameters, JSON text of attributes)",
     ("io.llmobservatory.enrich.storage.SpanRowMapper", "io.llmobservatory.enrich.storage.LlmCallRowMapper",
      "io.llmobservatory.enrich.storage.JsonText", "io.llmobservatory.enrich.storage.Ids")),
    ("rollup drainer", ("io.llmobservatory.enrich.storage.RollupDrainer",)),
    ("PostgreSQL client (parameter encoding, protocol)", ("io.vertx.pgclient.", "io.vertx.sqlclient.")),
    ("OTLP to the suite's model (attributes, ids)", ("io.llmobservatory.shared.otlp.", "io.llmobservatory.shared.model.")),
    ("protobuf decode/encode", ("com.google.protobuf.", "io.llmobservatory.ingest.grpc.DecodedRequest")),
    ("validation and limits", ("io.llmobservatory.ingest.receiver.",)),
    ("authentication", ("io.llmobservatory.shared.auth.",)),
    ("metrics", ("io.micrometer.", "io.prometheus.", "io.quarkus.micrometer.")),
    ("gRPC, HTTP/2, Netty I/O", ("io.grpc.", "io.vertx.grpc.", "io.quarkus.grpc.", "io.netty.", "io.vertx.core.")),
]
SKIP = ("java.", "jdk.", "sun.", "io.netty.buffer.", "io.netty.util.", "io.opentelemetry.proto.")
PROTOBUF_METHODS = (".parseFrom", ".mergeFrom", ".writeTo", ".getSerializedSize", ".parse")


def stage(stack):
    name = leaf_stage(stack)
    if name == "protobuf decode/encode":
        encode = any(fr.endswith((".writeTo", ".getSerializedSize")) for fr in stack)
        return "protobuf encode" if encode else "protobuf decode"
    if name == "gRPC, HTTP/2, Netty I/O":
        client = any(fr.startswith(("io.grpc.", "io.grpc.netty.")) and "Client" in fr for fr in stack)
        server = any(fr.startswith(("io.grpc.", "io.vertx.grpc.")) and "Server" in fr for fr in stack)
        return name + (" (gRPC client side)" if client and not server else " (gRPC server side)" if server and not client
                       else "")
    return name


def leaf_stage(stack):
    for fr in stack:
        if fr.startswith(SKIP) and not (fr.startswith("io.opentelemetry.proto.") and fr.endswith(PROTOBUF_METHODS)):
            continue
        if fr.endswith(PROTOBUF_METHODS) and "pipeline.v1" in fr or fr.startswith("io.opentelemetry.proto."):
            return "protobuf decode/encode"
        for name, prefixes in STAGES:
            if fr.startswith(prefixes):
                return name
        if fr.startswith(OWN):
            return "suite, other (pipeline glue: " + ".".join(fr.split(".")[2:4]) + ")"
    return "JDK only (no library frame)"


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    samples = []
    thread, stack, in_stack = None, [], False
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s.startswith("jdk.ExecutionSample"):
                thread, stack, in_stack = None, [], False
            elif s.startswith("sampledThread"):
                m = re.search(r'"([^"]*)"', s)
                thread = re.sub(r"\d+", "#", m.group(1)) if m else "?"
            elif s.startswith("stackTrace = ["):
                in_stack = True
            elif in_stack and s == "]":
                in_stack = False
                samples.append((thread, stack))
            elif in_stack and s and s != "...":
                stack.append(method(s))
    n = len(samples)
    if n == 0:
        print("no samples")
        return
    self_frames = collections.Counter(st[0] for _, st in samples if st)
    packages = collections.Counter(package(st[0]) for _, st in samples if st)
    own_top = collections.Counter(next((fr for fr in st if fr.startswith(OWN)), "(no suite frame)") for _, st in samples)
    own_incl = collections.Counter()
    for _, st in samples:
        for fr in set(fr for fr in st if fr.startswith(OWN)):
            own_incl[fr] += 1
    threads = collections.Counter(t for t, _ in samples)
    # Samples outside the suite's code: the top-most frame of a library that is not the JDK's or Netty's buffers.
    plumbing = ("java.", "jdk.", "sun.", "io.netty.buffer.", "io.netty.util.")
    outside = collections.Counter()
    for _, st in samples:
        if not any(fr.startswith(OWN) for fr in st):
            outside[next((package(fr, 3) for fr in st if not fr.startswith(plumbing)), "(JDK only)")] += 1

    def table(title, counter):
        print(f"\n## {title}")
        for k, v in counter.most_common(top_n):
            print(f"{100 * v / n:5.1f}%  {k}")

    print(f"{n} execution samples")
    table("thread groups", threads)
    table("stages (leaf-most frame that names one)", collections.Counter(stage(st) for _, st in samples))
    table("self frames", self_frames)
    table("packages of the self frame", packages)
    table("top-most suite frame (the suite code the CPU was spent under)", own_top)
    table("samples without a suite frame, by the top-most library package", outside)
    table("suite frames, inclusive (samples with the frame anywhere in the stack)", own_incl)


if __name__ == "__main__":
    main()
