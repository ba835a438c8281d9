#!/usr/bin/env bash
# GPU checks for a session that is lent a GPU machine (H100/H200). Two steps:
#
#   here (has .NET):   gpu/device/run-gpu-checks.sh pack
#       publishes gpu/bench self-contained for linux-x64 (untrimmed: trimming breaks ILGPU) and packs it as
#       gpu/device/dist/gpu-bench.tar.gz (gzip; dist/ is git-ignored by gpu/device/.gitignore).
#   on the device:     gpu/device/run-gpu-checks.sh run
#       with the device tool: run(command="gpu/device/run-gpu-checks.sh run", carry=["gpu/device/dist"], timeout_s=420)
#       unpacks, prints nvidia-smi, runs the CUDA checks and the benchmark (checks run before any timing: CUDA
#       discovery through the libcuda.so.1 fallback, SAXPY through a GPU actor and launched directly vs a CPU
#       reference on 16 Mi floats, buffer hand-off within and across pools, ledgers back to their start), writes
#       logs under $OUT and prints the table last.
#
# The machine has no .NET, so the xunit tests marked [GpuCudaFact] cannot run there; the benchmark's checks cover
# the same ground. Exit codes of the benchmark: 3 no CUDA device, 4 a check failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dist="$here/dist"

pack() {
  rm -rf "$dist/gpu-bench"
  mkdir -p "$dist"
  dotnet publish "$repo/gpu/bench/Xoscar.Orleans.Gpu.Bench.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishTrimmed=false -p:DebugType=none -o "$dist/gpu-bench"
  tar -C "$dist" -czf "$dist/gpu-bench.tar.gz" gpu-bench
  rm -rf "$dist/gpu-bench"
  ls -l "$dist/gpu-bench.tar.gz"
}

run() {
  local out="${OUT:-$repo/gpu-out}"
  local work="${TMPDIR:-/tmp}/xoscar-gpu"
  mkdir -p "$out" "$work"
  tar -C "$work" -xzf "$dist/gpu-bench.tar.gz"
  export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:/usr/local/nvidia/lib64"
  export DOTNET_gcServer=0
  nvidia-smi 2>&1 | tee "$out/nvidia-smi.txt" || echo "nvidia-smi not available"
  ls -l /usr/local/nvidia/lib64/libcuda.so* 2>/dev/null | tee "$out/libcuda.txt" || true
  set +e
  "$work/gpu-bench/Xoscar.Orleans.Gpu.Bench" --json "$out/gpu-bench.json" "$@" 2>&1 | tee "$out/gpu-bench.log"
  local rc=${PIPESTATUS[0]}
  set -e
  echo
  echo "== GPU checks (exit $rc) =="
  grep -E '^(devices:|check ok:|check failed|no CUDA|transfers:)' "$out/gpu-bench.log" || true
  echo "== GPU benchmark =="
  grep -E '^(value:|name |gpu-)' "$out/gpu-bench.log" || true
  return "$rc"
}

case "${1:-}" in
  pack) pack ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 pack | run [benchmark options, e.g. --quick]" >&2; exit 2 ;;
esac
