# Sourced by bin/dftune and bench/run: how the trainer's JVM runs. The trainer images do the same
# (images/trainer/Dockerfile*; ImagesTest checks them against this file).

# JVM options. The trainer's Java code is glue around libtorch, and bulk data loops are written
# to run fast without C2; C2 itself compiled for about 3 s of CPU in the first seconds of a
# bundled-example run on 2 cores, taking a core from libtorch's threads. C1 alone started that
# run about 1.5 s sooner with the same step throughput (bench/RESULTS.md).
DFTUNE_JVM_OPTIONS="-XX:TieredStopAtLevel=1"

# Preloads TCMalloc when it is installed. libtorch frees and allocates its large tensors at every
# step; glibc's malloc returns such blocks to the kernel and page-faults them back in each time
# (about 35,000 faults and 0.15 s of kernel time per step of the 25M-parameter benchmark model),
# TCMalloc keeps them. PyTorch's CPU tuning guide recommends the same. Install it with
# `apt-get install libtcmalloc-minimal4` (Debian, Ubuntu); DFTUNE_MALLOC=system keeps glibc's,
# and an LD_PRELOAD already set is left alone.
dftune_preload_allocator() {
  [ -n "${LD_PRELOAD:-}" ] && return 0
  [ "${DFTUNE_MALLOC:-tcmalloc}" = system ] && return 0
  local library
  library="$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null \
    | awk '!found && $1 == "libtcmalloc_minimal.so.4" && $NF ~ /^\// { print $NF; found = 1 }' || true)"
  if [ -n "$library" ]; then
    export LD_PRELOAD="$library"
  fi
}
