#!/usr/bin/python3
"""Reference fixtures for tests/test_torch_fixtures.c: what PyTorch and numpy
compute for small versions of our three scenarios, written so the C test can
load the same starting point and compare every number.

Regenerate with `make fixtures` (runs this with Debian's /usr/bin/python3,
which has python3-torch and numpy; CI has neither and reads the committed
files). The output is deterministic: fixed seeds, one torch thread, and every
value written exactly as a hex float.

Files (in the directory given as the only argument):
  sgd_sweep.txt   width-sweep shape, torch default init, 10 SGD steps
  adam_mc.txt     mode-connectivity shape, two nets with normal(0, 0.1) init,
                  10 Adam steps each, then the loss along the straight line
                  between the two trained nets
  min_norm.txt    numpy float64 minimum-norm interpolant of a 30 x 80 system

Format, chosen to be read with nothing but strtod: lines starting with '#'
are comments; every array is a header line `name count` followed by `count`
lines of one value each (float.hex(), exact for float32 and float64).
Parameters are in our slab order W0, b0, W1, b1, W2, b2 with each W in
nn.Linear's (out, in) row-major layout.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

STEPS = 10

# Kept small so the files stay a few tens of kB, but with widths that are
# not multiples of 8 and row counts with a remainder, because our kernels
# work in blocks of 8 and have separate tail paths.
SWEEP = dict(n=27, d=20, width=20, lr=0.01, seed=42)
MC = dict(n=19, d=10, width=12, lr=0.01, std=0.1, data_seed=42, seeds=(1, 2), alphas=21)
LIN = dict(n=30, p=80, seed=7)

# The C test allows a relative error of 1e-5 (with each tensor's RMS as the
# floor of the scale). A fixture is only useful if float32 rounding alone
# moves its numbers far less than that, so each case is also run in float64
# and generation fails when the two differ by more than this.
SENSITIVITY_LIMIT = 1e-6


def mlp(d, width):
    return nn.Sequential(nn.Linear(d, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))


def slab(model):
    """Parameters in our slab order; nn.Sequential lists weight then bias per layer."""
    return [p.detach().clone() for p in model.parameters()]


def train(model, X, y, opt):
    """Full-batch steps; the loss recorded for a step is the one its gradient came from."""
    crit = nn.MSELoss()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = crit(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def rel_dev(a, b):
    """Largest |a - b| / max(|b|, rms(b)) over one tensor (the C test's criterion)."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    rms = math.sqrt(float(np.mean(b * b))) if b.size else 0.0
    scale = np.maximum(np.abs(b), rms)
    scale[scale == 0] = 1.0
    return float(np.max(np.abs(a - b) / scale)) if b.size else 0.0


def check_sensitivity(label, runs32, runs64):
    worst = 0.0
    for t32, t64 in zip(runs32, runs64):
        worst = max(worst, rel_dev(t32, t64))
    print(f"  {label}: float32 vs float64 worst relative deviation {worst:.2e}")
    if worst > SENSITIVITY_LIMIT:
        sys.exit(f"torch_fixtures: {label} is too sensitive to rounding for a 1e-5 test ({worst:.2e})")


class Writer:
    def __init__(self, path, comments):
        self.f = open(path, "w")
        self.path = path
        for c in comments:
            self.f.write(f"# {c}\n")

    def array(self, name, values):
        vals = [float(v) for v in np.asarray(values).ravel()]
        self.f.write(f"{name} {len(vals)}\n")
        for v in vals:
            self.f.write(v.hex() + "\n")

    def tensors(self, prefix, tensors):
        for i, t in enumerate(tensors):
            kind = "W" if i % 2 == 0 else "b"
            self.array(f"{prefix}_{kind}{i // 2}", t.numpy())

    def close(self):
        self.f.close()
        print(f"  wrote {self.path} ({os.path.getsize(self.path)} bytes)")


def sweep_case(outdir):
    c = SWEEP
    torch.manual_seed(c["seed"])
    X = torch.randn(c["n"], c["d"])
    y = (torch.sin(X[:, :5].sum(dim=1)) + 0.5 * torch.cos(X[:, 5:10].sum(dim=1))).unsqueeze(1)
    y = y + 0.1 * torch.randn(c["n"], 1)
    model = mlp(c["d"], c["width"])  # default nn.Linear init, from the same seeded stream
    init = slab(model)
    losses = train(model, X, y, torch.optim.SGD(model.parameters(), lr=c["lr"]))
    final = slab(model)

    m64 = mlp(c["d"], c["width"]).double()
    with torch.no_grad():
        for p, q in zip(m64.parameters(), init):
            p.copy_(q.double())
    losses64 = train(m64, X.double(), y.double(), torch.optim.SGD(m64.parameters(), lr=c["lr"]))
    check_sensitivity("SGD sweep", [losses] + [t.numpy() for t in final],
                      [losses64] + [t.numpy() for t in slab(m64)])

    w = Writer(os.path.join(outdir, "sgd_sweep.txt"), [
        "Generated by tests/reference/torch_fixtures.py (make fixtures); do not edit.",
        f"torch {torch.__version__}, float32: Linear({c['d']},{c['width']}) ReLU "
        f"Linear({c['width']},{c['width']}) ReLU Linear({c['width']},1), default init, seed {c['seed']}",
        f"{STEPS} steps of SGD(lr={c['lr']}) full batch on MSELoss; loss[k] is the loss before step k",
        "dims: d, width, n, steps; hyper: lr",
    ])
    w.array("dims", [c["d"], c["width"], c["n"], STEPS])
    w.array("hyper", [c["lr"]])
    w.array("X", X.numpy())
    w.array("y", y.numpy())
    w.tensors("sweep_init", init)
    w.array("sweep_loss", np.array(losses))
    w.tensors("sweep_final", final)
    w.close()


def mc_net(c, seed, dtype):
    torch.manual_seed(seed)
    model = mlp(c["d"], c["width"])
    for p in model.parameters():
        nn.init.normal_(p, std=c["std"])
    return model.to(dtype)


def interp_losses(c, t1, t2, X, y):
    """Loss along theta(a) = a*theta1 + (1-a)*theta2, formed as our C code forms it:
    copy theta2, scale by (1 - a), add a*theta1, with a rounded to the net's dtype."""
    out = []
    mix = mlp(c["d"], c["width"]).to(X.dtype)
    crit = nn.MSELoss()
    for i in range(c["alphas"]):
        a = torch.tensor(i / (c["alphas"] - 1), dtype=X.dtype)
        with torch.no_grad():
            for p, p1, p2 in zip(mix.parameters(), t1, t2):
                p.copy_(p2 * (1 - a) + a * p1)
            out.append(crit(mix(X), y).item())
    return out


def mc_case(outdir):
    c = MC
    torch.manual_seed(c["data_seed"])
    X = torch.randn(c["n"], c["d"])
    y = torch.sin(X[:, 0:3].sum(dim=1, keepdim=True))

    res = {}
    for dtype in (torch.float32, torch.float64):
        Xd, yd = X.to(dtype), y.to(dtype)
        nets = []
        for s in c["seeds"]:
            model = mc_net(c, s, dtype)
            init = slab(model)
            losses = train(model, Xd, yd, torch.optim.Adam(model.parameters(), lr=c["lr"]))
            nets.append((init, losses, slab(model)))
        res[dtype] = (nets, interp_losses(c, nets[0][2], nets[1][2], Xd, yd))

    (n32, i32), (n64, i64) = res[torch.float32], res[torch.float64]
    flat32 = [i32] + [x for net in n32 for x in [net[1]] + [t.numpy() for t in net[2]]]
    flat64 = [i64] + [x for net in n64 for x in [net[1]] + [t.numpy() for t in net[2]]]
    check_sensitivity("Adam mode connectivity", flat32, flat64)

    w = Writer(os.path.join(outdir, "adam_mc.txt"), [
        "Generated by tests/reference/torch_fixtures.py (make fixtures); do not edit.",
        f"torch {torch.__version__}, float32: Linear({c['d']},{c['width']}) ReLU "
        f"Linear({c['width']},{c['width']}) ReLU Linear({c['width']},1), every parameter normal(0, {c['std']})",
        f"net1 from torch seed {c['seeds'][0]}, net2 from seed {c['seeds'][1]}; {STEPS} steps of "
        f"Adam(lr={c['lr']}, default betas and eps) each, full batch on MSELoss",
        "interp[i]: MSE at theta(alpha[i]) = alpha*net1_final + (1-alpha)*net2_final",
        "dims: d, width, n, steps; hyper: lr",
    ])
    w.array("dims", [c["d"], c["width"], c["n"], STEPS])
    w.array("hyper", [c["lr"]])
    w.array("X", X.numpy())
    w.array("y", y.numpy())
    for k, (init, losses, final) in enumerate(n32, start=1):
        w.tensors(f"net{k}_init", init)
        w.array(f"net{k}_loss", np.array(losses))
        w.tensors(f"net{k}_final", final)
    w.array("alpha", [i / (c["alphas"] - 1) for i in range(c["alphas"])])
    w.array("interp", np.array(i32))
    w.close()


def min_norm_case(outdir):
    c = LIN
    rng = np.random.default_rng(c["seed"])
    X = rng.standard_normal((c["n"], c["p"]))
    y = X[:, :5] @ rng.standard_normal(5) + 0.3 * rng.standard_normal(c["n"])
    theta = np.linalg.pinv(X) @ y
    theta_lstsq = np.linalg.lstsq(X, y, rcond=None)[0]
    # Two independent routes to the same point: if they disagree, neither is a reference.
    dev = rel_dev(theta_lstsq, theta)
    print(f"  min-norm: pinv vs lstsq worst relative deviation {dev:.2e}")
    if dev > 1e-12:
        sys.exit(f"torch_fixtures: pinv and lstsq disagree ({dev:.2e})")
    resid = float(np.max(np.abs(X @ theta - y)))
    if resid > 1e-12:
        sys.exit(f"torch_fixtures: min-norm solution does not interpolate ({resid:.2e})")

    w = Writer(os.path.join(outdir, "min_norm.txt"), [
        "Generated by tests/reference/torch_fixtures.py (make fixtures); do not edit.",
        f"numpy {np.__version__}, float64: X (n, p) standard normal, y = X[:, :5] w + 0.3 noise, "
        f"default_rng({c['seed']})",
        "theta = pinv(X) @ y (checked against lstsq): the minimum-norm interpolant",
        "dims: n, p",
    ])
    w.array("dims", [c["n"], c["p"]])
    w.array("X", X)
    w.array("y", y)
    w.array("theta", theta)
    w.close()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: torch_fixtures.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    # One thread: the reductions then happen in one fixed order, run to run.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    sweep_case(outdir)
    mc_case(outdir)
    min_norm_case(outdir)


if __name__ == "__main__":
    main()
