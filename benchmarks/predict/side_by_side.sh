#!/bin/bash
# ntksharp predict (eigen, iterative, auto) and the numpy baseline (one eigh + two products per time) side by side,
# same OpenBLAS settings (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for both), at times 1, 100, inf.
# usage: side_by_side.sh REPEATS DIR   with DIR/dd.npy, DIR/td.npy, DIR/y.npy (e.g. from gen_mlp_ntk.py)
#        CLI=path/to/NtkSharp.Cli (default: the Release build of this checkout)
R=$1; D=$2; HERE=$(cd "$(dirname "$0")" && pwd)
CLI=${CLI:-$HERE/../../src/NtkSharp.Cli/bin/Release/net10.0/NtkSharp.Cli}
lscpu | grep 'Model name'; uptime
run() { local name=$1; shift; env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -f "$name wall %e s  cpu %U+%S s  peak %M KB" "$@" >/dev/null 2>>$D/time.log; tail -1 $D/time.log; }
for i in $(seq $R); do
  mkdir -p $D/o_np $D/o_auto $D/o_eigen $D/o_iterative
  run numpy /usr/bin/python3 $HERE/predict_numpy.py $D/dd.npy $D/td.npy $D/y.npy $D/o_np
  for s in eigen iterative auto; do
    run "ntksharp-$s" $CLI predict --ntk-train $D/dd.npy --ntk-test $D/td.npy --y-train $D/y.npy --times 1,100,inf --out $D/o_$s --solver $s
  done
done
uptime
/usr/bin/python3 -c "
import numpy as np
for s in ['eigen','iterative','auto']:
  for f in ['mean_test','mean_train']:
    a=np.load('$D/o_np/%s.npy'%f); b=np.load('$D/o_%s/%s.npy'%(s,f))
    print(s, f, 'max relative difference to numpy over the times', max(np.linalg.norm(a[i]-b[i])/np.linalg.norm(a[i]) for i in range(a.shape[0])))
"
