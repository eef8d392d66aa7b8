"""``sparse-claims bench``: each engine against its baseline, timed in the same process (and the pytest
benchmarks call these same functions).

A case is one :class:`Case`; its printed row has exactly the keys of :data:`KEYS`:

* ``seconds`` / ``baseline_seconds``: the best of the rounds, engine and baseline timed in turn within each
  round (interleaved, so both see the same load).  On the CPU the clock is the process's CPU time
  (``time.process_time``): every engine and baseline runs on one BLAS / torch thread, so CPU time is the
  work done, unaffected by other processes sharing the cores; on cuda it is wall time after a synchronize.
* ``ratio``: baseline seconds over engine seconds (a speed-up), except against a dense GEMM, where it is the
  per-flop throughput (engine flops / engine seconds) / (GEMM flops / GEMM seconds), with the engine's flop
  count stated in ``case``.
* ``peak_bytes``: the peak of the allocations made during one engine call, inputs allocated before it
  excluded: ``tracemalloc`` for numpy engines (numpy reports its buffers to tracemalloc),
  ``torch.cuda.max_memory_allocated`` on cuda; ``None`` for torch CPU engines, whose buffers tracemalloc
  does not see (the case text says so).

``run(engines, quick=False, device="cpu")`` returns the cases; ``quick`` shrinks the problems (seconds instead
of minutes; the IHT cases leave the paper size) for tests and smoke runs.  ``device="cuda"`` runs each engine's
torch path on the GPU (IHT: the torch backend of the operator; Lyapunov, plateau, NTK, PaI: their tensors and
models on cuda; cut norm: its torch path, numpy input copied to the device in every call) with the cuda clock
and peak above; the baselines that are numpy loops stay on the CPU (the case text says where each side ran).
An engine function without a ``device`` parameter runs on the CPU and its case text says so.
"""
from __future__ import annotations

import inspect
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

KEYS = ("engine", "case", "seconds", "baseline", "baseline_seconds", "ratio", "peak_bytes")
TORCH_CPU_PEAK = "peak_bytes null: torch CPU buffers are invisible to tracemalloc"


@dataclass
class Case:
    engine: str
    case: str
    seconds: float
    baseline: str
    baseline_seconds: float
    ratio: float
    peak_bytes: int | None
    extra: dict = field(default_factory=dict)

    def row(self) -> dict:
        return {k: getattr(self, k) for k in KEYS}


def clock() -> float:
    return time.process_time()


def clock_for(device: str = "cpu") -> Callable[[], float]:
    """The clock of :func:`interleaved` for a device: CPU time on the CPU, wall time after a synchronize on cuda."""
    if device == "cpu":
        return clock
    import torch

    def cuda_clock() -> float:
        torch.cuda.synchronize()
        return time.perf_counter()

    return cuda_clock


def cuda_peak(fn: Callable) -> int:
    """Peak cuda bytes allocated during one call of ``fn``, above what was allocated before it."""
    import torch

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    fn()
    torch.cuda.synchronize()
    return int(torch.cuda.max_memory_allocated() - base)


def torch_peak(fn: Callable, device: str) -> int | None:
    """Peak of a torch engine: cuda bytes on cuda, ``None`` on the CPU (see :data:`TORCH_CPU_PEAK`)."""
    return cuda_peak(fn) if device == "cuda" else None


def peak_note(device: str) -> str:
    return "peak_bytes: torch.cuda.max_memory_allocated" if device == "cuda" else TORCH_CPU_PEAK


def _np(a) -> np.ndarray:
    return a.detach().cpu().numpy() if hasattr(a, "detach") else np.asarray(a)


def interleaved(fns: dict[str, Callable], rounds: int = 3, clock_fn: Callable[[], float] = clock) -> dict:
    """{name: best seconds}, the functions timed in turn within each round."""
    best = {k: float("inf") for k in fns}
    for _ in range(rounds):
        for k, f in fns.items():
            t0 = clock_fn()
            f()
            best[k] = min(best[k], clock_fn() - t0)
    return best


def traced(fn: Callable) -> int:
    """Peak bytes allocated (numpy, via tracemalloc) during one call of ``fn``, above what existed before."""
    from simulations.iht.memory import traced_peak

    return traced_peak(fn)[0]


def _one_thread():
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    return threadpool_limits(1)


# ============================================================================================ IHT
IHT_PAPER = (50_000, 100, 1000, 1000)          # n, d, p, s: the paper's planted size
IHT_QUICK = (4000, 40, 200, 200)


def iht_problem(n: int, d: int, p: int, s: int, seed: int = 0, chunk: int = 500):
    """(op, X, H, y, state): Gaussian X (stored feature-major), Gaussian generators, y = A w* for a random
    s-sparse w*, and a real iterate: two AIHT steps from 0 (the second from the first's (idx, val))."""
    from simulations.iht.operator import GatedOperator
    from simulations.iht.solvers import aiht_step

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d, n)).T                  # feature-major n x d
    H = rng.standard_normal((d, p))
    op = GatedOperator(X, H, chunk=min(chunk, p))
    idx = np.sort(rng.choice(d * p, size=s, replace=False))
    y = op.matvec_sparse(idx, rng.standard_normal(s))
    st = aiht_step(op, y, s, None, R=2)
    st = aiht_step(op, y, s, (st.idx, st.val), R=2)
    return op, X, H, y, (st.idx, st.val)


def iht_cases(quick: bool = False, aiht_baseline: bool = True, device: str = "cpu") -> list[Case]:
    """The IHT iteration (vs a dense GEMM, per flop; vs the per-block loop) and the AIHT step (vs the authors'
    per-block design) at the paper's planted size (``quick``: a small problem).  On cuda the engine is the
    operator's torch backend on the GPU, the GEMM a cuda GEMM, the per-block baselines numpy on the CPU."""
    from simulations.iht.solvers import aiht_step, aiht_step_per_block, iht_step, iht_step_per_block

    n, d, p, s = IHT_QUICK if quick else IHT_PAPER
    rounds = 3
    ck = clock_for(device)
    with _one_thread():
        op, X, H, y, (idx, val) = iht_problem(n, d, p, s)
        a = int(np.unique(idx // d).size)
        eta = 1e-6
        sizes = f"n={n} d={d} p={p} s={s} float64"
        if device == "cuda":
            import torch

            from simulations.iht.operator import GatedOperator

            op = GatedOperator(X, H, backend="torch", device=device, chunk=p)
            y_op = op.asarray(y)
            M = torch.randn(n, p, dtype=torch.float64, device=device,
                            generator=torch.Generator(device=device).manual_seed(1))
            Xg = torch.as_tensor(np.ascontiguousarray(X), device=device)
            gemm = lambda: M.T @ Xg
            sizes += "; engine: torch backend on cuda, GEMM on cuda, per-block baselines numpy on the CPU"
        else:
            y_op = y
            M = np.random.default_rng(1).standard_normal((n, p))
            gemm = lambda: M.T @ X
        eng = lambda: iht_step(op, y_op, idx, val, eta, s)
        t = interleaved({"engine": eng, "gemm": gemm}, rounds, ck)
        del M, gemm
        flops = 4 * n * d * p + 2 * n * d * a + 2 * n * s
        peak_it = cuda_peak(eng) if device == "cuda" else traced(eng)
        cases = [Case("iht.iteration", f"{sizes}; one IHT iteration from an s-sparse iterate on {a} blocks: "
                      f"A w (active-block patterns + support sweep) and the streaming H_s(w + eta A^T r); "
                      f"engine flops 4ndp + 2nda + 2ns = {flops:.3g}; GEMM (n x p)^T (n x d), 2ndp flops",
                      t["engine"], "dense GEMM", t["gemm"],
                      (flops / t["engine"]) / (2 * n * d * p / t["gemm"]), peak_it,
                      {"engine_flops": flops, "gemm_flops": 2 * n * d * p, "active_blocks": a})]
        t = interleaved({"engine": eng, "loop": lambda: iht_step_per_block(X, H, y, idx, val, eta, s)},
                        rounds if quick else 1, ck)
        cases.append(Case("iht.iteration", f"{sizes}; the same iteration against the per-block loop (one n x d "
                          f"block D_j X per block: A^T r over all p blocks, A w over the {a} active blocks)",
                          t["engine"], "per-block loop", t["loop"], t["loop"] / t["engine"], peak_it))
        ast = lambda: aiht_step(op, y_op, s, (idx, val), R=10)
        peak_a = cuda_peak(ast) if device == "cuda" else traced(ast)
        if aiht_baseline:
            t = interleaved({"engine": ast,
                             "authors": lambda: aiht_step_per_block(X, H, y, s, (idx, val), R=10)},
                            rounds if quick else 1, ck)
            if not quick:
                t["engine"] = min(t["engine"], interleaved({"engine": ast}, rounds - 1, ck)["engine"])
        else:
            t = {"engine": interleaved({"engine": ast}, rounds, ck)["engine"], "authors": float("nan")}
        cases.append(Case("iht.aiht_step", f"{sizes}; one AIHT step (R=10, 11 tries) from an s-sparse iterate, "
                          "stateless: old-support patterns, step size, streaming threshold, 11 support sweeps; "
                          "baseline: the authors' per-block design, every product with A a loop over blocks "
                          "building D_j X (n x d)", t["engine"], "authors' per-block AIHT step", t["authors"],
                          t["authors"] / t["engine"], peak_a))
    return cases


def iht_engine_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """:func:`iht_cases` without the authors' per-block AIHT baseline (several minutes per call at the paper
    size): the AIHT step's baseline columns are null.  The GPU check (simulations.harness.gpu_check) uses it."""
    return iht_cases(quick=quick, aiht_baseline=False, device=device)


def iht_memory_cases(quick: bool = False) -> list[Case]:
    """Peak traced bytes of one AIHT step as s grows (100 -> 2000) at the paper's n, d, p (no baseline)."""
    from simulations.iht.memory import measure_step_peaks

    n, d, p, _ = IHT_QUICK if quick else IHT_PAPER
    out = []
    with _one_thread():
        for row in measure_step_peaks([(n, d, p, s) for s in ((20, 200) if quick else (100, 500, 1000, 2000))],
                                      kind="aiht", timed=True):
            out.append(Case("iht.aiht_step.memory", f"n={n} d={d} p={p} s={row['s']}; peak of one AIHT step "
                            "(tracemalloc), X and the iterate excluded", row["seconds"], "none", float("nan"),
                            float("nan"), row["peak_bytes"]))
    return out


# ============================================================================================ Lyapunov
def lyapunov_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """Batched tangent step (p = 32 tangent vectors through batched HVPs) vs a loop of single HVPs; the
    sign-fixed re-orthonormalisation vs a bare QR (digits MLP 64-32-32-10, density 0.5, torch on ``device``,
    engine and baselines alike)."""
    import torch

    from simulations.data import digits
    from simulations.lyapunov import estimator as E
    from simulations.lyapunov import mlp as M
    from simulations.lyapunov import tangent as TG

    with _one_thread():
        dd = digits(0)
        layout = M.Layout((64, 32, 32, 10))
        x, y = torch.as_tensor(dd["x_train"]), torch.as_tensor(dd["y_train"])
        th = M.init_params(layout, 0)
        mask = M.global_magnitude_mask(layout, th, 0.5)
        P = TG.MaskedProblem(layout, mask, x, y, 0.05, device=device)
        phi = P.gather(th)
        idx = torch.as_tensor(M.batch_indices(x.shape[0], 32, 1, 0)[0]).to(P.device)
        Q = torch.as_tensor(E.orthonormal_frame(P.k, 32, np.random.default_rng(0)), device=P.device)

        def step_batched():
            P.sgd(phi, idx)
            return E.qr_positive(Q - P.eta * P.hvp_batched(phi, idx, Q))

        def step_loop():
            P.sgd(phi, idx)
            return E.qr_positive(Q - P.eta * P.hvp_loop(phi, idx, Q))

        diff = float((step_batched()[1] - step_loop()[1]).abs().max())
        ck = clock_for(device)
        t = interleaved({"batched": step_batched, "loop": step_loop}, 2 if quick else 3, ck)
        Z = Q - P.eta * P.hvp_batched(phi, idx, Q)
        r = interleaved({"reortho": lambda: E.qr_positive(Z), "qr": lambda: torch.linalg.qr(Z, mode="reduced")},
                        10 if quick else 30, ck)
        peak_t, peak_r = torch_peak(step_batched, device), torch_peak(lambda: E.qr_positive(Z), device)
    sizes = f"digits MLP 64-32-32-10 density 0.5, k={P.k} kept weights, p=32 tangent vectors, batch 32"
    where = "; on cuda" if device == "cuda" else ""
    return [Case("lyapunov.tangent_step", f"{sizes}{where}; {peak_note(device)}", t["batched"],
                 "loop of single HVPs", t["loop"], t["loop"] / t["batched"], peak_t,
                 {"max_diff": diff, "k": P.k, "fn": step_batched}),
            Case("lyapunov.reortho", f"k={P.k} x 32 frame; sign-fixed QR{where}; {peak_note(device)}", r["reortho"],
                 "bare QR (torch.linalg.qr)", r["qr"], r["qr"] / r["reortho"], peak_r)]


# ============================================================================================ cut norm
def _looped_alternating(A, restarts=8, max_iter=30, seed=0):
    """Baseline: the same best-response iteration, one restart at a time (Python loop over restarts)."""
    rng = np.random.default_rng(seed)
    best = 0.0
    starts = [(s, rng.random(A.shape[1]) < 0.5) for s in (1.0, -1.0) for _ in range(restarts)]
    for s, T in starts:
        T = T.astype(float)
        val = -1.0
        for _ in range(max_iter):
            S = ((A @ T) * s > 0).astype(float)
            cs = (A.T @ S) * s
            T = (cs > 0).astype(float)
            new = np.maximum(cs, 0).sum()
            if new <= val:
                break
            val = new
        best = max(best, val)
    return best / A.size


def cutnorm_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """Cut-norm bounds of a centred 1024 x 1024 Bernoulli(0.2) matrix: the batched alternating lower bound
    vs the same iteration looped over restarts; the spectral upper bound vs a full-SVD spectral norm.  The
    time of a dense 1024^3 product (A @ A) is kept in ``extra`` for the pytest budgets.  On cuda the engines
    run their torch path (the numpy matrix copied to the device in every call, as the experiments call them);
    the baselines and the GEMM stay numpy on the CPU."""
    from simulations.graphs.cutnorm import cut_norm_alternating, cut_norm_spectral

    N = 1024
    rng = np.random.default_rng(0)
    Mb = rng.random((N, N)) < 0.2
    A = Mb - Mb.mean()
    rounds = 2 if quick else 3
    ck = clock_for(device)
    alt = lambda: cut_norm_alternating(A, device=device)
    spec = lambda: cut_norm_spectral(A, device)
    peak = cuda_peak if device == "cuda" else traced
    with _one_thread():
        alt()
        t = interleaved({"alt": alt, "loop": lambda: _looped_alternating(A), "gemm": lambda: A @ A}, rounds, ck)
        peak_alt = peak(alt)
        s = interleaved({"spec": spec, "svd": lambda: np.linalg.norm(A, 2), "gemm": lambda: A @ A}, rounds, ck)
        peak_spec = peak(spec)
    sizes = f"n=d={N}, centred Bernoulli(0.2), float64"
    if device == "cuda":
        sizes += "; engine on cuda (torch, input copied per call), baseline numpy on the CPU"
    return [Case("graphs.cutnorm_alternating", f"{sizes}; 8 restarts per sign batched as one n x 16 product",
                 t["alt"], "same iteration looped over restarts", t["loop"], t["loop"] / t["alt"], peak_alt,
                 {"gemm_s": t["gemm"], "fn": alt}),
            Case("graphs.cutnorm_spectral", f"{sizes}; ||A||_2 / sqrt(nd)", s["spec"], "full SVD norm",
                 s["svd"], s["svd"] / s["spec"], peak_spec, {"gemm_s": s["gemm"], "fn": spec})]


# ============================================================================================ plateau
def plateau_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """The 300 random-swap null masks of one cell (width 256, S = 0.7) evaluated as one batched tensor
    computation vs rebuilding and evaluating the pruned model once per mask (the family trained and both
    sides run on ``device``)."""
    import torch

    from simulations.plateau.models import train_family
    from simulations.plateau.nulls import swap_null_masks
    from simulations.plateau.pruning import family_accuracy, rebuild_and_evaluate
    from theory import plateau as T

    with _one_thread():
        fam = train_family("mlp", 256, (0,), epochs=2, device=device)
        m = _np(fam.w_in[0].double().norm(dim=1))
        k = T.n_kept(0.7, 256)
        masks = swap_null_masks(m, k, T.q_target(k), 300, seed=1)
        fast = _np(family_accuracy(fam, 0, masks))
        slow = np.array([rebuild_and_evaluate(fam, 0, mk) for mk in masks])
        t = interleaved({"batched": lambda: family_accuracy(fam, 0, masks),
                         "rebuild": lambda: [rebuild_and_evaluate(fam, 0, mk) for mk in masks]},
                        2 if quick else 3, clock_for(device))
        peak = torch_peak(lambda: family_accuracy(fam, 0, masks), device)
    del torch
    where = "; on cuda" if device == "cuda" else ""
    return [Case("plateau.null_batch", f"MLP width 256, S=0.7 (k={k} kept), 300 swap-null masks{where}; "
                 f"{peak_note(device)}", t["batched"], "per-mask rebuild", t["rebuild"],
                 t["rebuild"] / t["batched"], peak, {"max_diff": float(np.max(np.abs(fast - slow))),
                                                     "fn": lambda: family_accuracy(fam, 0, masks)})]


# ============================================================================================ NTK
NTK_N, NTK_WIDTH, NTK_D, NTK_DENSITY = 256, 4096, 32, 0.1


def ntk_setup(device: str = "cpu"):
    import torch

    from simulations.ntk.models import NTKMLP

    model = NTKMLP([NTK_D, NTK_WIDTH, 1], seed=0, prune_readout=False, device=device)
    rng = np.random.default_rng(0)
    Mk = (rng.random((NTK_WIDTH, NTK_D)) < NTK_DENSITY).astype(np.float64)
    model.set_masks([Mk, None])
    x = torch.as_tensor(rng.standard_normal((NTK_N, NTK_D)), device=device)
    W, _ = model.numpy_state()
    return model, x, W, Mk


def ntk_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """Empirical NTK of a masked one-hidden-layer net (width 4096, d = 32, density 0.1, N = 256 inputs):
    the closed-form contraction (numpy), the torch.func Jacobian contraction and the structured torch engine,
    each against the per-sample Jacobian loop (one autograd call per input).  On cuda the torch engines and
    the loop run on the GPU; the closed form is numpy on the CPU."""
    from simulations.ntk import contract as C
    from simulations.ntk import empirical as E
    from simulations.ntk.structured import ntk_structured

    rounds = 3 if quick else 2          # quick: the pytest benchmarks assert on it; best of 3 damps a loaded machine
    with _one_thread():
        model, x, W, Mk = ntk_setup(device)
        X = _np(x)
        E.per_sample_loop_ntk(model, x[:4])
        E.ntk_jacobian(model, x[:4])
        closed = lambda: C.one_layer_ntk(X, W[0], W[1].ravel(), Mk)
        func = lambda: E.ntk_jacobian(model, x, chunk=128)
        struct = lambda: ntk_structured(model, x)
        loop = lambda: E.per_sample_loop_ntk(model, x)
        t = interleaved({"closed": closed, "func": func, "struct": struct, "loop": loop}, rounds, clock_for(device))
        peak = traced(closed)
        peak_f, peak_s = torch_peak(func, device), torch_peak(struct, device)
        K, K_loop = closed(), _np(loop())
        Ks = _np(struct())
        Kf = _np(func())
    sizes = f"N={NTK_N} inputs, width {NTK_WIDTH}, d={NTK_D}, density {NTK_DENSITY}, float64"
    where = ", on cuda" if device == "cuda" else ""
    base = "per-sample Jacobian loop"
    err = lambda A: float(np.max(np.abs(A - K_loop)) / max(np.max(np.abs(K_loop)), 1e-300))
    return [Case("ntk.closed_form", f"{sizes}; numpy" + (" on the CPU (loop baseline on cuda)" if where else ""),
                 t["closed"], base, t["loop"], t["loop"] / t["closed"], peak, {"rel_err": err(K), "fn": closed}),
            Case("ntk.torch_func", f"{sizes}; vmap(jacrev), chunk 128{where}; {peak_note(device)}", t["func"], base,
                 t["loop"], t["loop"] / t["func"], peak_f, {"rel_err": err(Kf), "fn": func}),
            Case("ntk.structured", f"{sizes}; torch{where}; {peak_note(device)}", t["struct"], base, t["loop"],
                 t["loop"] / t["struct"], peak_s, {"rel_err": err(Ks), "fn": struct})]


# ============================================================================================ PAI
def pai_cases(quick: bool = False, device: str = "cpu") -> list[Case]:
    """SNIP and magnitude scoring + masking of a width-4096 one-hidden-layer net (d = 1024, batch 256,
    float64, torch CPU) against a dense GEMM of the forward shape; per-flop ratio with the engine's flops
    counted as its GEMMs (SNIP: forward + weight gradient, 4 B d n; magnitude: none, so its ratio is the
    time ratio t_GEMM / t_engine scaled by 0 flops -- reported as the plain time ratio instead).  On cuda the
    model, the batch and the GEMM are on the GPU."""
    import torch

    from simulations.pai import OneHiddenLayer, prune

    n_hidden, D, B = 4096, 1024, 256
    out = []
    with _one_thread():
        model = OneHiddenLayer(D, n_hidden, seed=0, device=device)
        g = torch.Generator().manual_seed(1)
        X = torch.randn(B, D, generator=g, dtype=torch.float64).to(device)
        y = X[:, :128].sum(1)
        W = model.hidden.weight.detach()
        for method in ("snip", "magnitude"):
            run = lambda method=method: prune(model, method, 0.1, (X, y))
            run()
            t = interleaved({"engine": run, "gemm": lambda: X @ W.T}, 2 if quick else 5, clock_for(device))
            if method == "snip":
                flops = 4 * B * D * n_hidden
                ratio, what = (flops / t["engine"]) / (2 * B * D * n_hidden / t["gemm"]), \
                    f"per-flop, engine flops = its two GEMMs 4Bdn = {flops:.3g}"
            else:
                ratio, what = t["gemm"] / t["engine"], "time ratio t_GEMM / t_engine (no GEMM in the engine)"
            where = "; on cuda" if device == "cuda" else ""
            out.append(Case(f"pai.{method}", f"width {n_hidden}, d={D}, B={B}, density 0.1; {what}{where}; "
                            f"{peak_note(device)}", t["engine"], "dense GEMM", t["gemm"], ratio,
                            torch_peak(run, device),
                            {"engine_over_gemm": t["engine"] / t["gemm"], "fn": run}))
    return out


ENGINES: dict[str, Callable[..., list[Case]]] = {
    "iht": iht_cases, "iht-engine": iht_engine_cases, "iht-memory": iht_memory_cases, "lyapunov": lyapunov_cases, "cutnorm": cutnorm_cases,
    "plateau": plateau_cases, "ntk": ntk_cases, "pai": pai_cases,
}
DEFAULT = ("iht", "lyapunov", "cutnorm", "plateau", "ntk", "pai")


def takes_device(fn: Callable) -> bool:
    """Whether an engine's case function has a ``device`` parameter (a torch path)."""
    try:
        return "device" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def check_device(device: str) -> str:
    """``device`` itself; ValueError for an unknown one or for cuda without CUDA."""
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ValueError("--device cuda was asked for but torch.cuda.is_available() is False")
    return device


def run(engines=None, quick: bool = False, progress: Callable[[str], None] | None = None,
        device: str = "cpu") -> list[Case]:
    """Cases of the named engines (default :data:`DEFAULT`), in order, on ``device`` where the engine has a
    torch path; an engine without one runs on the CPU and its case text says so."""
    names = list(engines) if engines else list(DEFAULT)
    bad = [e for e in names if e not in ENGINES]
    if bad:
        raise ValueError(f"unknown engine(s) {bad}; known: {sorted(ENGINES)}")
    check_device(device)
    out = []
    for e in names:
        if progress:
            progress(f"bench {e} ({device}) ...")
        fn = ENGINES[e]
        if device == "cpu":
            out.extend(fn(quick=quick))
        elif takes_device(fn):
            out.extend(fn(quick=quick, device=device))
        else:
            cases = fn(quick=quick)
            for c in cases:
                c.case = f"{c.case}; ran on the CPU ({e} has no {device} path)"
            out.extend(cases)
    return out


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.4g}"
    return str(v)


def table(cases: list[Case]) -> str:
    """Plain-text table of the rows."""
    rows = [[_fmt(getattr(c, k)) for k in KEYS] for c in cases]
    widths = [max(len(x) for x in col) for col in zip(KEYS, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*KEYS), fmt.format(*["-" * w for w in widths])] + [fmt.format(*r) for r in rows])


def to_json(cases: list[Case]) -> list[dict]:
    """JSON-ready rows (NaN -> None)."""
    def clean(v):
        return None if isinstance(v, float) and v != v else v
    return [{k: clean(v) for k, v in c.row().items()} for c in cases]
