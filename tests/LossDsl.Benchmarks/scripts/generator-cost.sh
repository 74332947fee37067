#!/usr/bin/env bash
# Generator cost (issue 12): build time of a project with 50 [Loss] declarations against the same project without the
# attribute (the same method bodies, no generated code), incremental builds after one warm-up build each, median of
# RUNS (default 5). Measured twice: with the C# compiler server (what `dotnet build` and IDEs use by default: the
# compiler, the generator and the analyzers stay loaded and jitted between builds) and without it (a fresh csc process
# per build, as on machines that set UseSharedCompilation=false, this one included).
# Usage: tests/LossDsl.Benchmarks/scripts/generator-cost.sh [RUNS]
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

write_project() { # $1 folder, $2 attribute text ("[Loss]" or "")
  mkdir -p "$1"
  cat > "$1/Cost.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><NoWarn>\$(NoWarn);SYSLIB5001;CS1591</NoWarn>
  <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup>
    <Reference Include="$root/src/LossDsl/bin/Release/net10.0/LossDsl.dll" />
    <Analyzer Include="$root/generators/LossDsl.Generators/bin/Release/netstandard2.0/LossDsl.Generators.dll" />
    <PackageReference Include="System.Numerics.Tensors" Version="10.0.0" />
    <PackageReference Include="TorchSharp" Version="0.107.0" />
  </ItemGroup>
</Project>
PROJ
  {
    echo "using LossDsl; using static LossDsl.Dsl; namespace Cost; public static partial class Losses {"
    for i in $(seq 1 10); do
      echo "$2 public static Scalar Dice$i(Field p, Field y, int[] idc) { var a = Select(p, idc); var b = Select(y, idc); return Mean(1 - (2 * SumSpatial(a * b) + 1e-5) / (SumSpatial(a) + SumSpatial(b) + 1e-5)); }"
      echo "$2 public static Scalar Ce$i(Field l, Field y) => -Mean(y * LogSoftmax(l)) * $i;"
      echo "$2 public static Scalar Focal$i(Field l, Field y) { var p = Softmax(l); return -Mean(Square(1 - p) * y * LogSoftmax(l)) + $i; }"
      echo "$2 public static Scalar Tversky$i(Field p, Field y, double alpha = 0.3) { var tp = SumSpatial(p * y); return Mean(1 - tp / (tp + alpha * SumSpatial(p * (1 - y)) + SumSpatial((1 - p) * y) + 1e-5)); }"
      echo "$2 public static Scalar Bce$i(Field x, Field y) { var p = Sigmoid(x); return -Mean($i * y * Log(p + 1e-7) + (1 - y) * Log(1 - p + 1e-7)); }"
    done
    echo "}"
  } > "$1/Losses.cs"
}

median_build() { # $1 folder, $2 true/false: the compiler server
  (cd "$1" && dotnet build -c Release --nologo -v q -p:UseSharedCompilation="$2" > /dev/null)
  local times=()
  for _ in $(seq 1 "$runs"); do
    touch "$1/Losses.cs"
    local start end
    start=$(date +%s.%N)
    (cd "$1" && dotnet build -c Release --no-restore --nologo -v q -p:UseSharedCompilation="$2" > /dev/null)
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

(cd "$root" && dotnet build -c Release src/LossDsl --nologo -v q > /dev/null && dotnet build -c Release generators/LossDsl.Generators --nologo -v q > /dev/null)
write_project "$work/with" "[Loss]"
write_project "$work/without" ""
for server in true false; do
  with=$(median_build "$work/with" "$server")
  without=$(median_build "$work/without" "$server")
  label=$([ "$server" = true ] && echo "compiler server" || echo "no compiler server")
  echo "$label: 50 [Loss] declarations ${with} s; the same methods without [Loss] ${without} s; generator cost $(echo "$with - $without" | bc) s (median of $runs incremental builds)"
done
# The server outlives the script otherwise.
dotnet build-server shutdown > /dev/null 2>&1 || true
