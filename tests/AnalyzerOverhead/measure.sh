#!/usr/bin/env bash
# Times AllocAnalyzers in real builds, beside the compiler alone and beside three peers (the SDK's NetAnalyzers,
# Meziantou.Analyzer, Roslynator), and prints a table with PASS/FAIL for the overhead targets.
#
#   tests/AnalyzerOverhead/measure.sh [--runs N] [--warmup W] [--modes "M..."] [--seed S] [--rev REV] [--no-repo] [--keep] [LINES...]
#
#   LINES      corpus sizes in lines of C# (default: 50000 200000)
#   --runs N   measured builds per mode and target (default 3); the report takes medians
#   --warmup W rounds of warm-up builds (one build in each mode) before the measured ones (default 2)
#   --modes    the modes of Overhead.targets to build (default: "Baseline Ours Peers All Defaults DefaultsOurs";
#              also OnlyNNN, such as Only003 or Only020: one rule of AllocAnalyzers at a time)
#   --seed S   corpus seed (default 20000): the same seed writes the same corpus
#   --rev REV  measure the analyzers (and the repository's sources) of commit REV instead of the work tree
#   --no-repo  skip the build of this repository's own sources
#   --keep     keep the corpora and build outputs (the logs and the report are always kept)
#
# For each target (each corpus size, then src/AllocAnalyzers + src/AllocAnalyzers.CodeFixes +
# tests/AllocAnalyzers.Tests) it restores once, builds W times in each mode to warm the compiler server (a fresh server
# takes four or five builds to reach its steady speed: the compiler's code and the code analyzers use are compiled
# again by the JIT as they get hot), then builds N times in each mode of Overhead.targets, the order rotating from run
# to run, with
# `dotnet build --no-incremental -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary`. The compiler's
# per-analyzer times and the Csc task's time are read from those logs by OverheadReport; the CPU time the compiler
# server spent on each build is read from /proc, which other work on the machine does not inflate as it does
# wall-clock times.
#
# Everything is built from a snapshot in a temporary folder: the repository's bin/ and obj/ are not touched, so the
# script can run while others build. It starts its own compiler server (a pipe name of its own) and stops it by id.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

runs=3
warmup=2
modes=(Baseline Ours Peers All Defaults DefaultsOurs)
seed=20000
rev=""
measure_repo=1
keep=0
sizes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --modes) read -r -a modes <<< "$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --rev) rev="$2"; shift 2 ;;
    --no-repo) measure_repo=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    [0-9]*) sizes+=("$1"); shift ;;
    *) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(50000 200000)

work="$(mktemp -d "${TMPDIR:-/tmp}/alloc-overhead.XXXXXX")"
results="$work/results"
server_id="alloc-overhead-$$"
mkdir -p "$results"

stop_compiler_server() {
  local pid
  for pid in $(pgrep -f -- "-pipename:$server_id" || true); do
    kill "$pid" 2>/dev/null || true
  done
}
finish() {
  stop_compiler_server
  if [[ "$keep" -eq 0 ]]; then
    rm -rf "$work/repo" "$work/analyzers" "$work"/corpus-*
  fi
}
trap finish EXIT

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
started=$SECONDS

# 1. The sources to measure: the work tree as it is (tracked and new files), or a commit.
log "snapshot of ${rev:-the work tree} in $work/repo"
mkdir -p "$work/repo"
if [[ -n "$rev" ]]; then
  git -C "$repo" archive "$rev" | tar -x -C "$work/repo"
  source_line="commit $(git -C "$repo" rev-parse --short "$rev")"
else
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -x -C "$work/repo"
  source_line="work tree at $(git -C "$repo" describe --always --dirty)"
fi

# 2. The analyzers, as the package would carry them; and the two tools.
log "building the analyzers and the tools"
dotnet build "$work/repo/src/AllocAnalyzers.CodeFixes/AllocAnalyzers.CodeFixes.csproj" -c Release -o "$work/analyzers" \
  -nodeReuse:false -v:quiet > "$results/analyzers-build.log" 2>&1 ||
  { tail -30 "$results/analyzers-build.log"; echo "error: the analyzers did not build" >&2; exit 1; }
for tool in CorpusGenerator OverheadReport; do
  dotnet build "$here/$tool/$tool.csproj" -c Release -o "$work/tools/$tool" -nodeReuse:false -v:quiet \
    > "$results/$tool-build.log" 2>&1 || { tail -30 "$results/$tool-build.log"; echo "error: $tool did not build" >&2; exit 1; }
done

{
  echo "cores=$(nproc)"
  echo "sdk=$(dotnet --version)"
  echo "runtime=$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ { v = $2 } END { print v }')"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "source=$source_line"
  echo "runs=$runs"
  echo "warmup=$warmup"
  echo "seed=$seed"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
} > "$results/machine.txt"

common=(
  -c Release -nodeReuse:false -m:1
  "-p:CustomAfterMicrosoftCommonTargets=$here/Overhead.targets"
  "-p:AllocAnalyzersDir=$work/analyzers"
  -p:UseSharedCompilation=true "-p:SharedCompilationId=$server_id"
  -p:TreatWarningsAsErrors=false
)
mode_properties() {
  case "$1" in
    Baseline) echo "-p:RunAnalyzers=false" ;;
    Ours|Only[0-9][0-9][0-9]) echo "-p:EnableNETAnalyzers=false" ;;
    Peers|All) echo "-p:EnableNETAnalyzers=true -p:AnalysisLevel=latest-all -p:MeziantouAnalysisMode=all-warnings" ;;
    Defaults|DefaultsOurs) echo "-p:EnableNETAnalyzers=true" ;;
    *) echo "unknown mode '$1'" >&2; exit 2 ;;
  esac
}

# The compiler server of this script, and the CPU time it has used (user + system, in ms); empty before it starts.
server_pid() { pgrep -f -- "-pipename:$server_id" | head -1 || true; }
server_cpu_ms() {
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || { echo 0; return; }
  # Fields 14 and 15 of /proc/PID/stat; the command name (field 2) of VBCSCompiler holds no space.
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$pid/stat"
}

# build <project> <mode> <log> <run>: one full compilation, timed; its times go to wall.tsv.
build() {
  local project="$1" mode="$2" out="$3" run="$4" start end pid_before pid_after cpu_before cpu_after cpu
  pid_before="$(server_pid)"
  cpu_before="$(server_cpu_ms "$pid_before")"
  start=$(date +%s%N)
  # shellcheck disable=SC2046 # the mode's properties are separate words
  if ! dotnet build "$project" --no-restore --no-incremental "${common[@]}" "-p:AllocOverheadMode=$mode" \
      $(mode_properties "$mode") -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary > "$out" 2>&1; then
    grep -E ': error ' "$out" | sort -u | head -20
    echo "error: the $mode build failed; log: $out" >&2
    exit 1
  fi
  end=$(date +%s%N)
  pid_after="$(server_pid)"
  cpu_after="$(server_cpu_ms "$pid_after")"
  # A server that started (or restarted) during the build has no before: its CPU time is not this build's alone.
  if [[ -n "$pid_before" && "$pid_before" == "$pid_after" ]]; then cpu=$((cpu_after - cpu_before)); else cpu=NA; fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$mode" "$run" "$(((end - start) / 1000000))" "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" \
    >> "$(dirname "$out")/wall.tsv"
}

# measure <name> <project>: restore, a warm-up build, then the measured builds.
measure() {
  local name="$1" project="$2" out="$results/$1" target_started=$SECONDS r i
  mkdir -p "$out"
  printf 'mode\trun\twall_ms\tload1\tcompiler_cpu_ms\n' > "$out/wall.tsv"
  dotnet restore "$project" -nodeReuse:false "-p:CustomAfterMicrosoftCommonTargets=$here/Overhead.targets" \
    > "$out/restore.log" 2>&1 ||
    { tail -30 "$out/restore.log"; echo "error: restore of $project failed" >&2; exit 1; }
  # The warm-up builds load every analyzer the measured builds use into the compiler server, and run each mode's code
  # until the JIT has recompiled what is hot: the first builds of a fresh server took 2-3 times as long.
  for ((r = 1; r <= warmup; r++)); do
    for mode in "${modes[@]}"; do
      log "$name: warm-up $r/$warmup, $mode"
      build "$project" "$mode" "$out/warmup-$mode-$r.log" "-$r"
    done
  done
  for ((r = 1; r <= runs; r++)); do
    for ((i = 0; i < ${#modes[@]}; i++)); do
      local mode="${modes[$(((i + r - 1) % ${#modes[@]}))]}"
      log "$name: run $r/$runs, $mode"
      build "$project" "$mode" "$out/$mode-$r.log" "$r"
    done
  done
  log "$name: done in $((SECONDS - target_started)) s"
}

for lines in "${sizes[@]}"; do
  corpus="$work/corpus-$lines"
  log "corpus of $lines lines"
  dotnet "$work/tools/CorpusGenerator/CorpusGenerator.dll" --lines "$lines" --seed "$seed" --out "$corpus"
  mkdir -p "$results/corpus-$lines"
  cp "$corpus/corpus.manifest" "$results/corpus-$lines/"
  measure "corpus-$lines" "$corpus/Corpus.csproj"
done

if [[ "$measure_repo" -eq 1 ]]; then
  mkdir -p "$results/repo"
  (cd "$work/repo" && find src/AllocAnalyzers src/AllocAnalyzers.CodeFixes tests/AllocAnalyzers.Tests -name '*.cs' \
    -not -path '*/bin/*' -not -path '*/obj/*' -print0 | xargs -0 cat | wc -l |
    awk '{ print "lines=" $1 }') > "$results/repo/corpus.manifest"
  measure repo "$work/repo/tests/AllocAnalyzers.Tests/AllocAnalyzers.Tests.csproj"
fi

echo "wall=$((SECONDS - started))" >> "$results/machine.txt"
dotnet "$work/tools/OverheadReport/OverheadReport.dll" "$results" | tee "$results/report.md"
log "logs and report in $results"
