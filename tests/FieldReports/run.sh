#!/usr/bin/env bash
# Reproduces field reports through AllocAnalyzers' own fixes: each report's program runs as written ("before"), then
# a copy is rewritten by `dotnet format analyzers` with the AllocAnalyzers package ("after", no hand edits) and runs
# again; Compare checks both printed the same result and writes a table, a one-line summary and an SVG chart.
#
#   tests/FieldReports/run.sh [--size small|full] [--out DIR] [--keep] [REPORT...]
#
#   REPORT      a folder of tests/FieldReports with a program and a fix.rules file (default: every such folder)
#   --size      passed to the programs: small (default, a few minutes on 2 cores) or full
#   --out DIR   where the results go (default: tests/FieldReports/results, not committed): per report
#               REPORT.before.txt/.csv, REPORT.after.txt/.csv, REPORT.diff (what dotnet format changed),
#               REPORT.build-before.txt (the analyzer warnings), REPORT.md (the comparison) and REPORT.svg
#   --keep      keep the temporary folder (the package feed and the copies)
#
# A report is a folder <Name>/ with <Name>.csproj (an executable that links ../Shared/*.cs and references the
# AllocAnalyzers package when $(AllocAnalyzersVersion) is set), a program that accepts --size and --samples FILE and
# reports through MemoryMonitor, and fix.rules: the diagnostic IDs dotnet format fixes, on one line.
#
# The package is packed from the work tree with a unique prerelease version into a local feed, and the copies restore
# from that feed alone into a packages folder of their own, so no cache hands back an older build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false

size=small
out="$here/results"
keep=0
reports=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    -*) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
    *) reports+=("$1"); shift ;;
  esac
done
if [[ ${#reports[@]} -eq 0 ]]; then
  for rules in "$here"/*/fix.rules; do reports+=("$(basename "$(dirname "$rules")")"); done
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/alloc-field-reports.XXXXXX")"
cleanup() { if [[ $keep -eq 0 ]]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

version="0.1.0-fieldreport.$(date -u +%Y%m%d-%H%M%S).$$"
# MSBuild reads it as a property, in builds and in dotnet format's workspace alike.
export AllocAnalyzersVersion="$version"
log "packing AllocAnalyzers $version into $work/feed"
dotnet pack "$repo/src/AllocAnalyzers.Package/AllocAnalyzers.Package.csproj" -c Release -o "$work/feed" \
  -p:PackageVersion="$version" --artifacts-path "$work/artifacts" -nodeReuse:false -tl:off -v:quiet > "$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; exit 1; }

log "building Compare"
dotnet build "$here/Compare/Compare.csproj" -c Release -o "$work/compare" --artifacts-path "$work/artifacts" -nodeReuse:false -tl:off -v:quiet > "$work/compare.log" 2>&1 \
  || { cat "$work/compare.log"; exit 1; }

# A copy of the report and what it links, restoring from the local feed only.
copy_report() {
  local name="$1" target="$2"
  mkdir -p "$target"
  cp "$here/Directory.Build.props" "$target/"
  cp -r "$here/Shared" "$target/Shared"
  cp -r "$here/$name" "$target/$name"
  rm -rf "$target/$name/bin" "$target/$name/obj"
  cat > "$target/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="field-reports" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
}

# Builds a copy and runs it, keeping its output and samples.
build_and_run() {
  local name="$1" copy="$2" phase="$3"
  dotnet build "$copy/$name/$name.csproj" -c Release -nodeReuse:false -tl:off \
    > "$out/$name.build-$phase.txt" 2>&1 || { cat "$out/$name.build-$phase.txt"; return 1; }
  log "$name: running $phase (--size $size)"
  dotnet "$copy/$name/bin/Release/net10.0/$name.dll" --size "$size" --samples "$out/$name.$phase.csv" | tee "$out/$name.$phase.txt"
}

failed=0
for name in "${reports[@]}"; do
  [[ -f "$here/$name/fix.rules" ]] || { echo "no report '$name' (no $here/$name/fix.rules)" >&2; exit 2; }
  read -r -a rules < "$here/$name/fix.rules"
  before="$work/$name-before"
  after="$work/$name-after"
  copy_report "$name" "$before"
  log "$name: building before"
  build_and_run "$name" "$before" before
  grep -E "warning ALLOC[0-9]+" "$out/$name.build-before.txt" | sed -E 's/ \[[^]]*\]$//' | sort -u > "$out/$name.warnings.txt" || true
  log "$name: $(wc -l < "$out/$name.warnings.txt") ALLOC warnings before"

  copy_report "$name" "$after"
  log "$name: dotnet format analyzers --diagnostics ${rules[*]}"
  dotnet restore "$after/$name/$name.csproj" -nodeReuse:false -tl:off -v:quiet > "$out/$name.format.txt" 2>&1
  # dotnet format applies, per diagnostic ID, the fix its first diagnostic offers first, to every diagnostic that offers
  # the same fix; a diagnostic whose only fix is another one (ALLOC030 has several) waits for the next run. Run it
  # again, as a user would, until it changes nothing (at most three times).
  for pass in 1 2 3; do
    snapshot="$(cat "$after/$name"/*.cs | md5sum)"
    dotnet format analyzers "$after/$name/$name.csproj" --diagnostics "${rules[@]}" --severity info --no-restore -v:minimal \
      >> "$out/$name.format.txt" 2>&1 || { cat "$out/$name.format.txt"; exit 1; }
    [[ "$(cat "$after/$name"/*.cs | md5sum)" == "$snapshot" ]] && break
    log "$name: dotnet format pass $pass changed the code"
  done
  (cd "$work" && diff -ru "$name-before/$name" "$name-after/$name" -x bin -x obj > "$out/$name.diff") || true
  if [[ ! -s "$out/$name.diff" ]]; then
    echo "$name: dotnet format changed nothing" >&2
    cat "$out/$name.format.txt" >&2
    exit 1
  fi

  log "$name: building after"
  build_and_run "$name" "$after" after
  log "$name: comparing"
  if ! dotnet "$work/compare/Compare.dll" "$name" \
      "$out/$name.before.txt" "$out/$name.before.csv" "$out/$name.after.txt" "$out/$name.after.csv" "$out/$name.svg" | tee "$out/$name.md"; then
    failed=1
  fi
done

log "results in $out"
exit $failed
