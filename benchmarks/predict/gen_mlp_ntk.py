# Two-hidden-layer ReLU MLP NTK (standard parameterisation, as NtkSharp's/neural-tangents' closed form):
# Serial(Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(512, wStd: 1.5, bStd: 0.05), Relu(), Dense(1, wStd: 1.5)).
# Agrees with `ntksharp kernel` on that architecture to 1.3e-8 relative (N = 400; numpy's arccos near c = 1).
# usage: gen_mlp_ntk.py N M K float64|float32 OUTDIR  -> OUTDIR/dd.npy (N x N), td.npy (M x N), y.npy (N x K)
# Written in row blocks into an .npy memmap (float64 or float32); never holds the whole matrix.
import sys, numpy as np
def relu_step(K, qa, qb):
    s = np.sqrt(np.outer(qa, qb)); c = np.clip(K / s, -1.0, 1.0); th = np.arccos(c)
    return s / (2 * np.pi) * (np.sin(th) + (np.pi - th) * c), (np.pi - th) / (2 * np.pi)
def diag_step(q):  # relu of the diagonal: c = 1, theta = 0
    return q / 2.0
def ntk_block(Xa, Xb, layers):
    d = Xa.shape[1]
    K = layers[0][0] ** 2 * (Xa @ Xb.T) / d + layers[0][1] ** 2; T = K.copy()
    qa = layers[0][0] ** 2 * np.sum(Xa * Xa, 1) / d + layers[0][1] ** 2
    qb = layers[0][0] ** 2 * np.sum(Xb * Xb, 1) / d + layers[0][1] ** 2
    for w, b in layers[1:]:
        E, Ed = relu_step(K, qa, qb)
        K = w * w * E + b * b; T = K + w * w * Ed * T
        qa = w * w * diag_step(qa) + b * b; qb = w * w * diag_step(qb) + b * b
    return T
layers = [(1.5, 0.05), (1.5, 0.05), (1.5, 0.0)]
n, m, k, dtype, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
r = np.random.default_rng(0)
X = r.standard_normal((n + m, 784)); Xtr, Xte = X[:n], X[n:]
np.save(out + '/y.npy', r.standard_normal((n, k)))
dd = np.lib.format.open_memmap(out + '/dd.npy', mode='w+', dtype=dtype, shape=(n, n))
B = 1000
for i in range(0, n, B):
    dd[i:i + B] = ntk_block(Xtr[i:i + B], Xtr, layers)
dd.flush(); del dd
np.save(out + '/td.npy', ntk_block(Xte, Xtr, layers))
