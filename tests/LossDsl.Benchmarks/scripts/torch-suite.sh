#!/usr/bin/env bash
# Issue 13's suite measurement: every suite loss through its generated TorchSharp function, each variant alone in its
# own process (as a training loop runs it: no other variant's allocations in between), one thread, thread CPU time
# and minor page faults (fresh 4 KiB pages) per forward + backward. Twice: glibc's default allocator, and without page
# faults (GLIBC_TUNABLES as in docs/performance.md). Variants: eager (TorchSharp with autograd), generated (what a
# user gets), passes (the generated CPU passes forced).
# Usage: tests/LossDsl.Benchmarks/scripts/torch-suite.sh [CALLS]   (default 25; run after a Release build)
set -euo pipefail
calls=${1:-25}
root=$(cd "$(dirname "$0")/../../.." && pwd)
bin="$root/tests/LossDsl.Benchmarks/bin/Release/net10.0/LossDsl.Benchmarks.dll"
no_faults="glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824"
for allocator in default no-faults; do
  echo "== allocator: $allocator"
  for shape in 8x4x256x256 2x3x64x64x64; do
    for loss in GdlBoundarySelect GdlBoundarySoftmax FocalSoftmax Tversky LogCoshDice CrossEntropyBoundary ClampAbsMax SigmoidBce; do
      for variant in eager generated passes; do
        if [ "$allocator" = no-faults ]; then
          GLIBC_TUNABLES=$no_faults dotnet "$bin" torch-suite "$loss" "$shape" "$variant" "$calls"
        else
          dotnet "$bin" torch-suite "$loss" "$shape" "$variant" "$calls"
        fi
      done
    done
  done
done
