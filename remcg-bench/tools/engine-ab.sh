#!/usr/bin/env bash
# In-process A/B of the CG engine between git revisions (see EngineAb.java):
#   remcg-bench/tools/engine-ab.sh THREADS REV_A REV_B [REV_C ...]
# Builds remcg-cli/target/remcg.jar from the working tree if missing, compiles org/remcg/simulate of each revision
# against it into a scratch directory, and runs the alternating comparison (400-step chunks, 20 rounds).
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=$1; shift
jar=remcg-cli/target/remcg.jar
[ -f "$jar" ] || mvn -B -q -DskipTests install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dirs=()
for rev in "$@"; do
    src="$work/src-$rev"; out="$work/cls-$rev"
    mkdir -p "$src" "$out"
    git archive "$rev" remcg-core/src/main/java/org/remcg/simulate | tar -x -C "$src"
    javac -nowarn -cp "$jar" -d "$out" "$src"/remcg-core/src/main/java/org/remcg/simulate/*.java
    dirs+=("$out")
done
javac -cp "$jar" -d "$work" remcg-bench/tools/EngineAb.java
java -cp "$jar:$work" EngineAb "$threads" 400 20 "${dirs[@]}"
