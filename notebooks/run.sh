#!/usr/bin/env bash
# Executes notebooks/quickstart.ipynb headless: the .NET Interactive kernel (NuGet tool Microsoft.dotnet-interactive)
# under Debian's jupyter-nbconvert. Usage: notebooks/run.sh [output.ipynb]  (needs src/NtkSharp built in Release).
# Installs what is missing: jupyter-nbconvert (apt) and the tool (into NTKSHARP_INTERACTIVE_TOOLS, default ~/.cache).
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-$(mktemp -d)/quickstart.executed.ipynb}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq jupyter-nbconvert jupyter-client >/dev/null
fi
tools="${NTKSHARP_INTERACTIVE_TOOLS:-$HOME/.cache/ntksharp/dotnet-interactive}"
if [ ! -x "$tools/dotnet-interactive" ]; then
  dotnet tool install Microsoft.dotnet-interactive --version 1.0.712001 --tool-path "$tools" >/dev/null
fi
# A kernel spec of our own (absolute path to the tool), in a private Jupyter data folder.
jup=$(mktemp -d)
mkdir -p "$jup/kernels/ntksharp-csharp"
cat >"$jup/kernels/ntksharp-csharp/kernel.json" <<JSON
{"argv": ["$tools/dotnet-interactive", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"],
 "display_name": ".NET (C#)", "language": "C#"}
JSON
JUPYTER_PATH="$jup" jupyter-nbconvert --to notebook --execute quickstart.ipynb --output "$out" \
  --ExecutePreprocessor.kernel_name=ntksharp-csharp --ExecutePreprocessor.timeout=600
echo "executed: $out"
