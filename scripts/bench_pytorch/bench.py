"""innlib against FrEIA + PyTorch on the same network, in one run.

Alternates the two (innlib's benchmarks for each gemm kernel asked for, then
freia_bench.py) for --rounds rounds, so that both see the same machine load,
and prints the medians (and ranges) as a markdown table. Both use --threads
threads: GOMAXPROCS for innlib, torch.set_num_threads for PyTorch (whose
posterior is also timed on one thread, where it is often faster). PyTorch
runs with the instruction sets it picks itself (native) and capped at AVX2
(MKL_ENABLE_INSTRUCTIONS and friends), to match innlib's avx2 kernel; each
innlib kernel is compared with PyTorch on the same instruction set.

    go test -c -o /tmp/inn.test ./innlib/inn/
    python scripts/bench_pytorch/bench.py --inn-test /tmp/inn.test --kernels avx2 avx512

run.sh does both. The innlib rows come from BenchmarkTrainStepBidirectional10,
...256 and BenchmarkPosterior10k (innlib/inn/bench_test.go), the PyTorch rows
from freia_bench.py; the networks and losses are the same (see its docstring).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GO_BENCH = {
    "train10": "BenchmarkTrainStepBidirectional10",
    "train256": "BenchmarkTrainStepBidirectional256",
    "posterior10k": "BenchmarkPosterior10k",
}


def run_inn(test_bin, kernel, threads, benchtime):
    env = dict(os.environ, GOMAXPROCS=str(threads), INNLIB_GEMM_KERNEL=kernel)
    pattern = "^(" + "|".join(GO_BENCH.values()) + ")$"
    out = subprocess.run([test_bin, "-test.run", "XXX", "-test.bench", pattern, "-test.benchtime", benchtime],
                         env=env, cwd=os.path.dirname(test_bin) or ".", capture_output=True, text=True, check=True).stdout
    res = {}
    for what, name in GO_BENCH.items():
        m = re.search(r"^" + name + r"(?:-\d+)?\s+\d+\s+(\d+(?:\.\d+)?) ns/op", out, re.M)
        if not m:
            sys.exit(f"no result for {name} in:\n{out}")
        ns = float(m.group(1))
        res[what] = ns / 1e6 if what == "posterior10k" else 1e9 / ns
    return res


# Environment that caps PyTorch's kernels (MKL's GEMM, ATen's vector code,
# oneDNN) at AVX2, as INNLIB_GEMM_KERNEL=avx2 caps innlib's.
TORCH_ISA_ENV = {
    "native": {},
    "avx2": {"MKL_ENABLE_INSTRUCTIONS": "AVX2", "ATEN_CPU_CAPABILITY": "avx2",
             "DNNL_MAX_CPU_ISA": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"},
}


def run_torch(python, threads, seconds, isa):
    posterior_threads = sorted({1, threads})
    out = subprocess.run([python, os.path.join(HERE, "freia_bench.py"), "--threads", str(threads),
                          "--seconds", str(seconds), "--posterior-threads", *map(str, posterior_threads)],
                         env=dict(os.environ, **TORCH_ISA_ENV[isa]), capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        r = json.loads(line)
        if r["what"] == "posterior10k":
            res[f"posterior10k_t{r['threads']}"] = r["ms"]
        else:
            res[r["what"]] = r["steps_per_s"]
    return res


def fmt(xs, digits):
    med = statistics.median(xs)
    if len(xs) == 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({min(xs):.{digits}f}-{max(xs):.{digits}f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inn-test", required=True, help="test binary of innlib/inn (go test -c)")
    ap.add_argument("--python", default=sys.executable, help="Python with torch and FrEIA")
    ap.add_argument("--kernels", nargs="+", default=["avx2"], help="INNLIB_GEMM_KERNEL values to time")
    ap.add_argument("--torch-isa", nargs="+", default=["native", "avx2"], choices=sorted(TORCH_ISA_ENV),
                    help="PyTorch's instruction sets to time: native (what it picks) and/or avx2")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0, help="time per PyTorch measurement")
    a = ap.parse_args()
    inn = {k: [] for k in a.kernels}
    torch = {isa: [] for isa in a.torch_isa}
    for r in range(a.rounds):
        for k in a.kernels:
            inn[k].append(run_inn(os.path.abspath(a.inn_test), k, a.threads, f"{a.seconds}s"))
            print(f"round {r + 1} innlib {k}: {inn[k][-1]}", file=sys.stderr, flush=True)
        for isa in a.torch_isa:
            torch[isa].append(run_torch(a.python, a.threads, a.seconds, isa))
            print(f"round {r + 1} pytorch {isa}: {torch[isa][-1]}", file=sys.stderr, flush=True)

    versions = subprocess.run([a.python, "-c", "import importlib.metadata as m; print(m.version('torch'), m.version('FrEIA'))"],
                              capture_output=True, text=True).stdout.split()
    print(f"{a.rounds} rounds, {a.threads} threads; median (min-max). PyTorch {versions[0] if versions else '?'}, "
          f"FrEIA {versions[1] if len(versions) > 1 else '?'}.\n")
    tcols = [f"PyTorch, {isa}" for isa in a.torch_isa]
    cols = [f"innlib, {k}" for k in a.kernels]
    # innlib's kernel against PyTorch on the same instruction set where both
    # were timed, else against PyTorch's own choice.
    pair = {k: (k if k in torch else ("native" if "native" in torch else a.torch_isa[0])) for k in a.kernels}
    print("| figure | " + " | ".join(tcols + cols) + " | " +
          " | ".join(f"innlib {k} / PyTorch {pair[k]}" for k in a.kernels) + " |")
    print("|---" * (1 + len(tcols) + 2 * len(cols)) + "|")
    for what, label in [("train10", "training steps/s, batch 10"), ("train256", "training steps/s, batch 256")]:
        row = [label] + [fmt([t[what] for t in torch[isa]], 1) for isa in a.torch_isa]
        row += [fmt([x[what] for x in inn[k]], 1) for k in a.kernels]
        row += [f"{statistics.median([x[what] for x in inn[k]]) / statistics.median([t[what] for t in torch[pair[k]]]):.2f}x"
                for k in a.kernels]
        print("| " + " | ".join(row) + " |")
    best = {isa: [min(t["posterior10k_t1"], t[f"posterior10k_t{a.threads}"]) for t in torch[isa]] for isa in a.torch_isa}
    row = [f"10k posterior draws, ms (PyTorch: best of 1 and {a.threads} threads)"]
    row += [fmt(best[isa], 1) for isa in a.torch_isa]
    row += [fmt([x["posterior10k"] for x in inn[k]], 1) for k in a.kernels]
    row += [f"{statistics.median(best[pair[k]]) / statistics.median([x['posterior10k'] for x in inn[k]]):.2f}x"
            for k in a.kernels]
    print("| " + " | ".join(row) + " |")
    print("\nRatios: innlib's speed over PyTorch's (steps/s over steps/s; ms over ms for the posterior).")

if __name__ == "__main__":
    main()
