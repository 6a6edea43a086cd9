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

    def table(title, counter):
        print(f"\n## {title}")
        for k, v in counter.most_common(top_n):
            print(f"{100 * v / n:5.1f}%  {k}")

    print(f"{n} execution samples")
    table("thread groups", threads)
    table("self frames", self_frames)
    table("packages of the self frame", packages)
    table("top-most suite frame (the suite code the CPU was spent under)", own_top)
    table("suite frames, inclusive (samples with the frame anywhere in the stack)", own_incl)


if __name__ == "__main__":
    main()
