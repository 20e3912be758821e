# numpy baseline: mu_t = Theta(x,X) V phi_t(L) V^T Y, one eigh + two products per time, eta = 1, n = Y.size.
import sys, numpy as np
dd, td, yp, out = sys.argv[1:5]
K = np.load(dd); Ktd = np.load(td); Y = np.load(yp)
n = Y.size
w, V = np.linalg.eigh(K)
VtY = V.T @ Y
tr, te = [], []
for t in (1.0, 100.0, np.inf):
    if np.isinf(t):
        one = np.ones_like(w); phi = 1.0 / w
    else:
        one = -np.expm1(-w * t / n); phi = one / w
    tr.append(V @ (one[:, None] * VtY))
    te.append(Ktd @ (V @ (phi[:, None] * VtY)))
np.save(out + '/mean_train.npy', np.stack(tr)); np.save(out + '/mean_test.npy', np.stack(te))
