"""Times FrEIA + PyTorch on the paper's INN, the network innlib's benchmarks use.

x = 8 <-> [y = 5, z = 3]; 4 GLOW coupling blocks (both halves per block,
soft clamp 2·tanh(s/2)) with random permutations; subnetworks Linear(in, 128),
LeakyReLU(0.01), Linear(128, 128), LeakyReLU(0.01), Linear(128, 2·out).

A training step is innlib's default bidirectional step: forward pass, fit MSE
on y and the latent MMD of [z, y_pred (detached)] against [N(0, I), y]; inverse
pass of [y, N(0, I)] and the backward MMD against x; the gradients of the two
groups taken apart, the conflict projected out, the norm clipped at 10, AdamW
(lr 1e-3, betas 0.9/0.95, eps 1e-6, weight decay 1e-5). MMD: inverse
multiquadric kernels of widths 0.2, 0.5, 1, 2, 5.

The posterior draws 10,000 samples for one observation: one inverse pass of
[y repeated, z ~ N(0, I)] without gradients (innlib's figure also includes its
box-map inverse, a few percent of it).

Prints one JSON object per measurement. Run by bench.py; standalone:
    python freia_bench.py --threads 2 --batch 256 --seconds 2
"""

import argparse
import json
import time

import torch
import FrEIA.framework as Ff
import FrEIA.modules as Fm

WIDTHS = (0.2, 0.5, 1.0, 2.0, 5.0)


def subnet(c_in, c_out):
    return torch.nn.Sequential(
        torch.nn.Linear(c_in, 128), torch.nn.LeakyReLU(0.01),
        torch.nn.Linear(128, 128), torch.nn.LeakyReLU(0.01),
        torch.nn.Linear(128, c_out))


def network(seed=1):
    torch.manual_seed(seed)
    inn = Ff.SequenceINN(8)
    for i in range(4):
        inn.append(Fm.GLOWCouplingBlock, subnet_constructor=subnet, clamp=2.0, clamp_activation="TANH")
        inn.append(Fm.PermuteRandom, seed=i)
    for p in inn.parameters():
        if p.requires_grad:
            p.data.normal_(0, 0.05)
    return inn


def mmd(x, y):
    """MMD² with inverse multiquadric kernels (the biased estimate, as innlib's)."""
    xx, yy, xy = torch.mm(x, x.t()), torch.mm(y, y.t()), torch.mm(x, y.t())
    rx, ry = xx.diag().unsqueeze(0), yy.diag().unsqueeze(0)
    dxx = rx.t() + rx - 2 * xx
    dyy = ry.t() + ry - 2 * yy
    dxy = rx.t() + ry - 2 * xy
    out = 0
    for w in WIDTHS:
        c = w * w
        out = out + (c / (c + dxx)).mean() + (c / (c + dyy)).mean() - 2 * (c / (c + dxy)).mean()
    return out


def train_rate(batch, seconds, seed=1):
    inn = network(seed)
    params = [p for p in inn.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.95), eps=1e-6, weight_decay=1e-5)
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, 8, generator=g) * 3.46 - 1.73
    y = torch.randn(batch, 5, generator=g)

    def step():
        out, _ = inn(x)
        y_pred, z = out[:, :5], out[:, 5:]
        fit = ((y_pred - y) ** 2).mean()
        lat = mmd(torch.cat([z, y_pred.detach()], 1), torch.cat([torch.randn(batch, 3), y], 1))
        x_rev, _ = inn(torch.cat([y, torch.randn(batch, 3)], 1), rev=True)
        back = mmd(x_rev, x)
        gf = torch.autograd.grad(fit + 300 * lat, params, retain_graph=True, allow_unused=True)
        gi = torch.autograd.grad(400 * back, params, allow_unused=True)
        gf = torch.cat([(a if a is not None else torch.zeros_like(p)).flatten() for a, p in zip(gf, params)])
        gi = torch.cat([(a if a is not None else torch.zeros_like(p)).flatten() for a, p in zip(gi, params)])
        coef = torch.clamp(torch.dot(gi, gf), max=0) / torch.clamp(torch.dot(gf, gf), min=1e-20)
        gsum = gf + gi - coef * gf
        gsum = gsum * torch.clamp(10 / gsum.norm().clamp(min=1e-12), max=1)
        off = 0
        for p in params:
            n = p.numel()
            p.grad = gsum[off:off + n].view_as(p)
            off += n
        opt.step()

    for _ in range(3):
        step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - start)


def posterior_ms(draws, seconds, seed=1):
    inn = network(seed)
    y = torch.randn(1, 5).repeat(draws, 1)
    with torch.no_grad():
        inn(torch.cat([y, torch.randn(draws, 3)], 1), rev=True)
        n, start = 0, time.perf_counter()
        while n < 3 or time.perf_counter() - start < seconds:
            v = torch.cat([y, torch.randn(draws, 3)], 1)
            inn(v, rev=True)
            n += 1
    return (time.perf_counter() - start) / n * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, nargs="*", default=[10, 256])
    ap.add_argument("--posterior-threads", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    for b in a.batch:
        print(json.dumps({"what": f"train{b}", "threads": a.threads, "steps_per_s": train_rate(b, a.seconds)}), flush=True)
    for t in a.posterior_threads:
        torch.set_num_threads(t)
        print(json.dumps({"what": "posterior10k", "threads": t, "ms": posterior_ms(10000, a.seconds)}), flush=True)


if __name__ == "__main__":
    main()
