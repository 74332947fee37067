#!/usr/bin/env bash
# Packs LossDsl like a release and uses the packages from the outside, as a user would (issue 8):
#   1. snapshot the working tree (tracked + untracked, not ignored) into two folders with different paths, and
#      `dotnet pack LossDsl.sln -c Release` in each;
#   2. the two packings must hold the same entries with the same bytes (determinism; with SOURCE_DATE_EPOCH set to
#      the commit time, the .nupkg files themselves are byte-identical);
#   3. a sample consumer (tests/PackageConsumer), copied to a temporary folder where none of the repository's
#      Directory.Build.*, Directory.Packages.props or global.json applies, with its own nuget.config (the folder
#      feed + the usual sources), references only the LossDsl package and libtorch-cpu-linux-x64, declares a loss
#      of its own, and checks its generated CPU and TorchSharp entry points against hand-computed numbers; an F# one
#      (tests/FSharpPackageConsumer, same folder feed) references only LossDsl.FSharp, compiles a quotation with
#      Loss.compile at run time and checks its CPU value and gradient against hand-computed numbers;
#   4. `dotnet tool install --tool-path <dir> --add-source <feed> LossDsl.Tool` gives a `lossdsl` whose --help works,
#      whose `inspect` regenerates a built-in's code (the generator ships in the tool as a library), and whose
#      `distmap` turns a hand-written .npy mask into the hand-computed signed distance maps.
# Exit status 0 when everything holds, 1 otherwise. Last line: "pack-and-consume: passed" or "...: FAILED (why)".
# Usage: .ci/pack-and-consume.sh [--keep] [--head]
#   --keep  leave the temporary folder for inspection
#   --head  pack the committed HEAD instead of the working tree (e.g. while others edit the tree)
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild worker nodes left running after the script.
export MSBUILDDISABLENODEREUSE=1

keep=false
from_head=false
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --head) from_head=true ;;
    *) echo "usage: $0 [--keep] [--head]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lossdsl-pack.XXXXXX")
cleanup() { if $keep; then echo "pack-and-consume: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

start=$SECONDS
step() { echo "== pack-and-consume: $* ($((SECONDS - start)) s)"; }
fail() {
  echo "pack-and-consume: FAILED ($1)"
  exit 1
}
# Runs a command with its output in a log; on failure prints the log's tail and fails with the given reason.
run_logged() {
  local why=$1 log=$2
  shift 2
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log"
    fail "$why"
  fi
}

version=$(sed -nE 's|.*<Version>([^<]+)</Version>.*|\1|p' Directory.Build.props | head -n 1)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"
# Zip entry times of the packages: the commit time, so that one commit packs to identical bytes.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800)
fi
export SOURCE_DATE_EPOCH

# --- 1. two snapshots, two packings -------------------------------------------------------------------------------
mkdir -p "$work/a/LossDsl" "$work/b/second-checkout/LossDsl"
if $from_head; then
  step "snapshot of HEAD ($(git rev-parse --short HEAD)), version $version"
  git archive HEAD | tar -xf - -C "$work/a/LossDsl" || fail "could not snapshot HEAD"
else
  step "snapshot of the working tree, version $version"
  git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$work/a/LossDsl" ||
    fail "could not snapshot the working tree"
fi
cp -a "$work/a/LossDsl/." "$work/b/second-checkout/LossDsl/"
# Everything from here on works in $work (the consumer template comes from the snapshot too). Some natives resolve
# paths against the current directory: libtorch's MKL aborts when it has been deleted under us.
cd "$work"

for side in a b; do
  if [ "$side" = a ]; then src="$work/a/LossDsl"; else src="$work/b/second-checkout/LossDsl"; fi
  step "dotnet pack ($side: $src)"
  (cd "$src" && run_logged "dotnet pack ($side)" "$work/pack-$side.log" \
    dotnet pack LossDsl.sln -c Release -o "$work/feed-$side" -p:ContinuousIntegrationBuild=true) || exit 1
done

for id in LossDsl LossDsl.Tool LossDsl.FSharp; do
  [ -f "$work/feed-a/$id.$version.nupkg" ] || fail "dotnet pack made no $id.$version.nupkg"
done
testing_note="LossDsl.Testing: not in the repository yet"
if [ -f "$work/feed-a/LossDsl.Testing.$version.nupkg" ]; then testing_note="LossDsl.Testing.$version.nupkg packed"; fi
ls -l "$work/feed-a"
echo "$testing_note"

# --- 2. determinism ----------------------------------------------------------------------------------------------
step "comparing the two packings"
python3 - "$work/feed-a" "$work/feed-b" <<'EOF' || fail "the two packings differ"
import hashlib, os, sys, zipfile
a_dir, b_dir = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(a_dir))
if names != sorted(os.listdir(b_dir)):
    print("different package files:", names, sorted(os.listdir(b_dir)))
    sys.exit(1)
def entries(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}
ok = True
for n in names:
    a, b = entries(os.path.join(a_dir, n)), entries(os.path.join(b_dir, n))
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    with open(os.path.join(a_dir, n), "rb") as fa, open(os.path.join(b_dir, n), "rb") as fb:
        same_bytes = fa.read() == fb.read()
    print(f"{n}: {len(a)} entries, {'identical' if not diff else 'DIFFERENT: ' + ', '.join(diff)}"
          f"{', byte-identical .nupkg' if same_bytes else ' (the .nupkg files differ only in zip metadata)' if not diff else ''}")
    ok = ok and not diff
sys.exit(0 if ok else 1)
EOF
feed="$work/feed-a"

step "checking what the packages contain"
python3 - "$feed" "$version" <<'EOF' || fail "a package lacks something it must contain, or holds something it must not"
import os, sys, zipfile
feed, version = sys.argv[1], sys.argv[2]
ok = True
def need(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
def read(pid):
    z = zipfile.ZipFile(os.path.join(feed, f"{pid}.{version}.nupkg"))
    return z, set(z.namelist()), z.read(f"{pid}.nuspec").decode("utf-8-sig")
z, lib, spec = read("LossDsl")
for entry in ["lib/net10.0/LossDsl.dll", "lib/net10.0/LossDsl.xml", "lib/net10.0/LossDsl.pdb",
              "analyzers/dotnet/cs/LossDsl.Generators.dll", "build/LossDsl.targets", "buildTransitive/LossDsl.targets",
              "LICENSE"]:
    need(entry in lib, f"LossDsl contains {entry}")
need(not any(n.startswith("runtimes/") for n in lib), "LossDsl holds no native binaries (runtimes/)")
need('id="TorchSharp"' in spec and "libtorch" not in spec.lower(), "LossDsl depends on TorchSharp, on no libtorch package")
need("LossDsl.Generators" not in spec, "the generator is inside LossDsl, not a dependency")
need('<license type="expression">MIT</license>' in spec, "LossDsl is MIT-licensed")
z, tool, spec = read("LossDsl.Tool")
need('<packageType name="DotnetTool"' in spec, "LossDsl.Tool is a .NET tool package")
settings = z.read("tools/net10.0/any/DotnetToolSettings.xml").decode("utf-8-sig")
need('Name="lossdsl"' in settings and 'EntryPoint="LossDsl.Cli.dll"' in settings, "LossDsl.Tool installs the command lossdsl")
z, fs, spec = read("LossDsl.FSharp")
for entry in ["lib/net10.0/LossDsl.FSharp.dll", "lib/net10.0/LossDsl.Generators.dll"]:
    need(entry in fs, f"LossDsl.FSharp contains {entry} (the generator as a library travels inside it)")
need('id="LossDsl" ' in spec and 'id="Microsoft.CodeAnalysis.CSharp"' in spec and "LossDsl.Generators" not in spec,
     "LossDsl.FSharp depends on LossDsl and Microsoft.CodeAnalysis.CSharp, not on a LossDsl.Generators package")
if os.path.exists(os.path.join(feed, f"LossDsl.Testing.{version}.nupkg")):
    z, testing, spec = read("LossDsl.Testing")
    dep = [l for l in spec.splitlines() if '<dependency id="LossDsl" ' in l]
    need(len(dep) == 1 and f'version="{version}"' in dep[0] and "exclude=" not in dep[0],
         "LossDsl.Testing depends on LossDsl with all its assets (generator, buildTransitive)")
sys.exit(0 if ok else 1)
EOF

# --- 3. a consumer outside the repository's build settings -----------------------------------------------------------
step "building the sample consumer against the package"
consumer="$work/consumer"
mkdir -p "$consumer"
cp "$work"/a/LossDsl/tests/PackageConsumer/*.cs "$work"/a/LossDsl/tests/PackageConsumer/*.csproj "$consumer/" ||
  fail "no tests/PackageConsumer template"
# Packages this run restores go to a private folder, so that a LossDsl $version from an earlier packing is never
# taken from the machine's cache; the machine's folder still serves TorchSharp, libtorch... as a fallback folder,
# unless it holds a LossDsl $version of its own (then everything is restored afresh).
machine_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
fallback="<add key=\"machine\" value=\"$machine_packages\" />"
if [ -d "$machine_packages/lossdsl/$version" ] || [ -d "$machine_packages/lossdsl.tool/$version" ]; then
  echo "note: $machine_packages has a LossDsl $version of its own; restoring everything into the private folder"
  fallback=""
fi
cat >"$consumer/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <add key="lossdsl-local" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <clear />
    $fallback
  </fallbackPackageFolders>
</configuration>
EOF
(cd "$consumer" && run_logged "the consumer does not build" "$work/consumer-build.log" \
  dotnet build -c Release -p:LossDslVersion="$version") || exit 1
grep -q "buildTransitive/LossDsl.targets" "$consumer"/obj/*.nuget.g.targets ||
  fail "the consumer does not import the package's buildTransitive/LossDsl.targets"
step "running the sample consumer"
(cd "$consumer" && dotnet bin/Release/net10.0/PackageConsumer.dll) || fail "the consumer's checks failed"

# The F# consumer: its own folder and project, the same nuget.config (folder feed, private packages folder).
step "building the F# consumer against LossDsl.FSharp"
fsharp_consumer="$work/fsharp-consumer"
mkdir -p "$fsharp_consumer"
cp "$work"/a/LossDsl/tests/FSharpPackageConsumer/*.fs "$work"/a/LossDsl/tests/FSharpPackageConsumer/*.fsproj \
  "$consumer/nuget.config" "$fsharp_consumer/" || fail "no tests/FSharpPackageConsumer template"
(cd "$fsharp_consumer" && run_logged "the F# consumer does not build against the LossDsl.FSharp package" \
  "$work/fsharp-consumer-build.log" dotnet build -c Release -p:LossDslVersion="$version") || exit 1
step "running the F# consumer (Loss.compile of a quotation, CPU value and gradient)"
(cd "$fsharp_consumer" && dotnet bin/Release/net10.0/FSharpPackageConsumer.dll) ||
  fail "the F# consumer's checks failed: a quotation compiled through the LossDsl.FSharp package gave wrong numbers or did not compile"

# --- 4. the tool ----------------------------------------------------------------------------------------------------
step "dotnet tool install LossDsl.Tool"
(cd "$consumer" && run_logged "dotnet tool install failed" "$work/tool-install.log" env NUGET_PACKAGES="$work/packages" \
  dotnet tool install --tool-path "$work/tools" --add-source "$feed" --version "$version" LossDsl.Tool) || exit 1
lossdsl="$work/tools/lossdsl"
[ -x "$lossdsl" ] || fail "no lossdsl command in the tool path"
"$lossdsl" --help >"$work/help.txt" 2>&1 || { cat "$work/help.txt"; fail "lossdsl --help exited non-zero"; }
grep -q "distmap" "$work/help.txt" || { cat "$work/help.txt"; fail "lossdsl --help does not list distmap"; }
head -n 12 "$work/help.txt"

step "lossdsl inspect (regenerates a loss's code through the generator shipped in the tool)"
"$lossdsl" inspect GeneralizedDice >"$work/inspect.txt" 2>&1 || { tail -n 20 "$work/inspect.txt"; fail "lossdsl inspect exited non-zero"; }
grep -q "public static T GeneralizedDiceCpu<T>(" "$work/inspect.txt" && grep -q "SingleTensorFunction" "$work/inspect.txt" ||
  { head -n 40 "$work/inspect.txt"; fail "lossdsl inspect GeneralizedDice does not print the generated CPU and TorchSharp code"; }

step "lossdsl distmap on a hand-written .npy"
python3 - "$work/mask.npy" <<'EOF' || fail "could not write the test mask"
import struct, sys
# 4x4 uint8 labels: class 1 is the 2x2 square in the middle, class 0 the ring around it.
header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4, 4), }"
header += " " * (63 - (10 + len(header)) % 64) + "\n"
data = bytes([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + data)
EOF
"$lossdsl" distmap "$work/mask.npy" -o "$work/dist.npy" --classes 2 || fail "lossdsl distmap exited non-zero"
python3 - "$work/dist.npy" <<'EOF' || fail "lossdsl distmap wrote wrong distances"
import ast, math, struct, sys
raw = open(sys.argv[1], "rb").read()
assert raw[:6] == b"\x93NUMPY", "not an .npy file"
major = raw[6]
hlen, off = (struct.unpack("<H", raw[8:10])[0], 10) if major == 1 else (struct.unpack("<I", raw[8:12])[0], 12)
header = ast.literal_eval(raw[off:off + hlen].decode("latin1"))
assert header["descr"] == "<f4" and not header["fortran_order"] and tuple(header["shape"]) == (2, 4, 4), header
values = struct.unpack("<32f", raw[off + hlen:off + hlen + 128])
# By hand (reference one_hot2dist: outside, distance to the class; inside, minus (distance to the outside - 1)):
# class 0 (the ring): ring corners -(sqrt2 - 1), ring edges 0, the square 1;
# class 1 (the square): the square 0, ring edges 1, ring corners sqrt2.
r, c = math.sqrt(2) - 1, math.sqrt(2)
expected = [-r, 0, 0, -r, 0, 1, 1, 0, 0, 1, 1, 0, -r, 0, 0, -r,
            c, 1, 1, c, 1, 0, 0, 1, 1, 0, 0, 1, c, 1, 1, c]
bad = [(i, v, e) for i, (v, e) in enumerate(zip(values, expected)) if abs(v - e) > 1e-5]
print("distmap: (2, 4, 4) float32,", "matches the hand-computed maps" if not bad else f"MISMATCH at {bad}")
sys.exit(1 if bad else 0)
EOF

step "done"
echo "pack-and-consume: passed (LossDsl.$version, LossDsl.Tool.$version, LossDsl.FSharp.$version; $testing_note; $((SECONDS - start)) s)"
