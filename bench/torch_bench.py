#!/usr/bin/python3
"""PyTorch's side of `make bench-torch` (bench/torch runs it next to ours).

Epochs per second of the seed's own training loop (zero_grad, forward,
MSELoss, backward, step, loss.item(); full batch, float32) for each
configuration bench/bench_train.c measures, under several thread settings,
and the wall time of the seed's whole width-sweep training loop (4 models x
2000 epochs) in-process, import excluded, under the setting that is fastest
for it.

Thread settings are "torch/BLAS": torch.set_num_threads for torch's own
(OpenMP) kernels, and OpenBLAS's thread count, which torch's Linear layers
use for their GEMMs and which torch.set_num_threads does not change on
Debian's build; it is set in-process through openblas_set_num_threads.

Output, for bench/torch to parse: tab-separated lines
  cfg    <config name>  <setting>  <epochs/s>
  sweep  <setting>      <seconds>  <final losses, comma-separated>
plus human-readable lines starting with '#'.

Machine noise is 20-30% between runs; each figure is the best of three
timed rounds after a warm-up.
"""
import ctypes
import ctypes.util
import sys
import time

import torch
import torch.nn as nn

# (name as bench_train prints it, n, d, width, depth, optimizer)
CONFIGS = [
    ("width 10, SGD", 100, 20, 10, 2, "sgd"),
    ("width 50, SGD", 100, 20, 50, 2, "sgd"),
    ("width 200, SGD", 100, 20, 200, 2, "sgd"),
    ("width 500, SGD", 100, 20, 500, 2, "sgd"),
    ("mode conn. 200, Adam", 50, 10, 200, 2, "adam"),
]
# (torch threads, OpenBLAS threads): the settings of the seed's speed table.
SETTINGS = [(1, 1), (2, 1), (2, 2)]
SECONDS_PER_CONFIG = 1.0
ROUNDS = 3


def find_openblas():
    for name in ("libopenblas.so.0", ctypes.util.find_library("openblas")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads.argtypes = [ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            pass
    return None


OPENBLAS = find_openblas()


def apply_setting(setting):
    t, b = setting
    torch.set_num_threads(t)
    if OPENBLAS is not None:
        OPENBLAS.openblas_set_num_threads(b)


def label(setting):
    return f"{setting[0]}/{setting[1]}" if OPENBLAS is not None else f"{setting[0]}/?"


def create_mlp(input_dim, hidden_dim, depth, output_dim):
    """The seed's create_mlp."""
    layers = [nn.Linear(input_dim, hidden_dim), nn.ReLU()]
    for _ in range(depth - 1):
        layers.extend([nn.Linear(hidden_dim, hidden_dim), nn.ReLU()])
    layers.append(nn.Linear(hidden_dim, output_dim))
    return nn.Sequential(*layers)


def make_problem(n, d, width, depth, opt):
    torch.manual_seed(42)
    X = torch.randn(n, d)
    if d >= 10:
        y = (torch.sin(X[:, :5].sum(dim=1)) + 0.5 * torch.cos(X[:, 5:10].sum(dim=1))).unsqueeze(1)
        y = y + 0.1 * torch.randn(n, 1)
    else:
        y = torch.sin(X[:, 0:3].sum(dim=1, keepdim=True))
    model = create_mlp(d, width, depth, 1)
    if opt == "adam":
        for p in model.parameters():
            nn.init.normal_(p, std=0.1)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    return model, optimizer, X, y


def epochs(model, optimizer, criterion, X, y, count):
    """The seed's loop body, `count` times."""
    for _ in range(count):
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        loss.item()


def rate(cfg, setting):
    _, n, d, width, depth, opt = cfg
    apply_setting(setting)
    model, optimizer, X, y = make_problem(n, d, width, depth, opt)
    criterion = nn.MSELoss()
    # Warm-up (allocator, thread pools), which also sizes the rounds.
    epochs(model, optimizer, criterion, X, y, 5)
    t0, done, k = time.perf_counter(), 0, 5
    while time.perf_counter() - t0 < 0.1:
        epochs(model, optimizer, criterion, X, y, k)
        done += k
        k *= 2
    per_epoch = (time.perf_counter() - t0) / done
    reps = max(5, int(SECONDS_PER_CONFIG / ROUNDS / per_epoch))
    best = float("inf")
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        epochs(model, optimizer, criterion, X, y, reps)
        best = min(best, (time.perf_counter() - t0) / reps)
    return 1.0 / best


def seed_sweep(setting):
    """The seed's width-sweep script minus its prints: data, then 4 models x
    2000 epochs of train_model as written (losses appended every epoch)."""
    apply_setting(setting)
    t0 = time.perf_counter()
    torch.manual_seed(42)
    n_samples, input_dim = 100, 20
    X = torch.randn(n_samples, input_dim)
    y_true = torch.sin(X[:, :5].sum(dim=1)) + 0.5 * torch.cos(X[:, 5:10].sum(dim=1))
    y = y_true.unsqueeze(1) + 0.1 * torch.randn(n_samples, 1)
    finals = []
    for hidden in (10, 50, 200, 500):
        model = create_mlp(input_dim, hidden, 2, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        criterion = nn.MSELoss()
        losses = []
        for _ in range(2000):
            model.train()
            optimizer.zero_grad()
            loss = criterion(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        finals.append(losses[-1])
    return time.perf_counter() - t0, finals


def main():
    if OPENBLAS is None:
        print("# openblas_set_num_threads not found: BLAS threads left as the environment sets them")
    print(f"# torch {torch.__version__}; settings are torch threads / OpenBLAS threads")
    rates = {}
    for cfg in CONFIGS:
        for s in SETTINGS:
            r = rate(cfg, s)
            rates[(cfg[0], s)] = r
            print(f"cfg\t{cfg[0]}\t{label(s)}\t{r:.1f}", flush=True)
    # The sweep's time is dominated by its widest nets; predict it from the
    # rates just measured and run it once, under the best setting.
    def predicted(s):
        return sum(2000.0 / rates[(c[0], s)] for c in CONFIGS if c[5] == "sgd")

    best = min(SETTINGS, key=predicted)
    print(f"# seed sweep under {label(best)} (predicted {predicted(best):.2f} s)", flush=True)
    secs, finals = seed_sweep(best)
    print(f"sweep\t{label(best)}\t{secs:.3f}\t" + ",".join(f"{v:.6g}" for v in finals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
