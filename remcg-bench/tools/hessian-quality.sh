#!/usr/bin/env bash
# How far steps on sampled covariance Hessians can be trusted at a fit's last accepted point (see HessianQuality.java):
#   remcg-bench/tools/hessian-quality.sh CONFIG CHECKPOINT [RUNS [CHUNKS]]
# e.g. after `./remcg fit examples/methanol-water/remcg-files.yaml`:
#   remcg-bench/tools/hessian-quality.sh examples/methanol-water/remcg-files.yaml out/methanol-water-files/checkpoint.json 4 500,1000,2000
# Builds remcg-cli/target/remcg.jar if missing; RUNS full-length simulations of the configuration's engine follow.
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=remcg-cli/target/remcg.jar
[ -f "$jar" ] || mvn -B -q -DskipTests install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -cp "$jar" -d "$work" remcg-bench/tools/HessianQuality.java
java -cp "$jar:$work" HessianQuality "$@"
