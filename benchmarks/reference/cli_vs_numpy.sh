#!/usr/bin/env bash
# cli_vs_numpy.sh CLI_DLL [N] [D] [ROUNDS]: `ntksharp kernel` vs the numpy script, whole process each, interleaved
# rounds; prints wall and CPU (user + sys) seconds of every run and the ratio of the best walls.
# Both run under `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`. Needs /usr/bin/python3 with numpy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dll=$1; n=${2:-4000}; d=${3:-784}; rounds=${4:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -c "import numpy as np; np.save('$work/x.npy', np.random.default_rng(0).standard_normal(($n, $d)))"
arch="Serial($(for i in 1 2 3 4 5; do printf 'Dense(512, wStd: 1.5, bStd: 0.05), Relu(), '; done)Dense(1, wStd: 1.5, bStd: 0.05))"
mkdir -p "$work/np" "$work/cli"
best_np=999999; best_cli=999999
lscpu | grep 'Model name'; uptime
for r in $(seq "$rounds"); do
  t=$( { /usr/bin/time -f '%e %U %S' env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/relu_mlp_numpy_e2e.py" "$work/x.npy" "$work/np" >/dev/null; } 2>&1 | tail -1)
  echo "numpy   wall/user/sys: $t"; best_np=$(awk -v a="$best_np" -v b="${t%% *}" 'BEGIN{print (b<a)?b:a}')
  t=$( { /usr/bin/time -f '%e %U %S' env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE dotnet "$dll" kernel --arch "$arch" --x1 "$work/x.npy" --out "$work/cli" --no-progress >/dev/null; } 2>&1 | tail -1)
  echo "ntksharp wall/user/sys: $t"; best_cli=$(awk -v a="$best_cli" -v b="${t%% *}" 'BEGIN{print (b<a)?b:a}')
done
uptime
awk -v c="$best_cli" -v p="$best_np" 'BEGIN{printf "best wall: ntksharp %.2f s, numpy %.2f s, ratio %.2f\n", c, p, c / p}'
/usr/bin/python3 -c "
import numpy as np
a, b = np.load('$work/np/ntk.npy'), np.load('$work/cli/ntk.npy')
print('max |NTK difference| / max |NTK| =', float(np.abs(a - b).max() / np.abs(a).max()))"
