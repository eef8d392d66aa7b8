"""Metrics of each plateau check, read from a design summary (:func:`simulations.plateau.design.summarise`)."""
from __future__ import annotations

import numpy as np
from scipy import stats as _st

from simulations.harness import plots
from simulations.plateau.design import PAIRS
from simulations.plateau.scorers import KAPPA1, KAPPA2, NINE
from theory import plateau as T
from theory import plateau_stats as PS
from theory import stats

paper_kappa = T.paper_kappa


def _row(s: dict, S: float) -> dict:
    return s["per_S"][f"{S:g}"]


def _d(s, S, name) -> np.ndarray:
    return np.asarray(_row(s, S)["scorers"][name]["d"], dtype=np.float64)


def _paired(a, b, level: float = 0.95) -> dict:
    """Paired comparison over the seeds where both are finite (t-interval at ``level``)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.isfinite(a) & np.isfinite(b)
    out = stats.paired_comparison(a[ok], b[ok], level)
    out["se"] = out["sd"] / np.sqrt(out["n"])
    for alt in ("two-sided", "greater", "less"):
        out[f"p_{alt}"] = PS.paired_p(a[ok] - b[ok], alt)
    return out


def invariance_metrics(cell: dict, main: dict) -> dict:
    q = [max(abs(x) for x in _row(main, S)["scorers"]["M2"]["q"]) for S in main["sparsities"]]
    d = [max(abs(x) for x in _row(main, S)["scorers"]["M2"]["d"]) for S in main["sparsities"]]
    return {**cell, "m2_max_q": max(q), "m2_max_abs_delta": max(d)}


def statistics_metrics(s: dict) -> dict:
    Ss, sd = s["sparsities"], s["plateau"]["sd"]
    spread, ratio, maxz, holm_any, pm, pse, jac, falsified_at = [], [], [], [], {}, {}, {}, []
    for i, S in enumerate(Ss):
        accs = [_row(s, S)["scorers"][n]["acc_mean"] for n in ("M1", "M3", "Linf", "inout")]
        spread.append(max(accs) - min(accs))
        ratio.append(spread[-1] / sd[i])
        comps = {f"{a}-{b}": _paired(_d(s, S, a), _d(s, S, b)) for a, b in PAIRS}
        rej = stats.holm([c["p_two-sided"] for c in comps.values()], 0.05)
        maxz.append(max(abs(c["diff_mean"]) / c["se"] if c["se"] > 0 else 0.0 for c in comps.values()))
        holm_any.append(bool(any(rej)))
        if any(rej):
            falsified_at.append({"S": S, "pairs": [p for p, r in zip(comps, rej) if r],
                                 "diffs": {p: [comps[p]["diff_mean"], comps[p]["se"]] for p, r in zip(comps, rej)
                                           if r}})
        for p, c in comps.items():
            pm.setdefault(p, []).append(c["diff_mean"])
            pse.setdefault(p, []).append(c["se"])
        jac[f"{S:g}"] = _row(s, S)["jaccard"]
    return {"sparsities": Ss, "spread_pp": spread, "spread_over_seed_sd": ratio, "max_pair_z": maxz,
            "holm_reject_any": holm_any, "holds": bool(max(ratio) < 1 and max(maxz) <= 2),
            "falsified": bool(any(holm_any)), "falsified_at": falsified_at, "pair_mean": pm, "pair_se": pse,
            "jaccard": jac}


def curve_metrics(s: dict) -> dict:
    mean, sd = np.asarray(s["plateau"]["mean"]), np.asarray(s["plateau"]["sd"])
    n = len(_row(s, s["sparsities"][0])["scorers"]["M1"]["d"])
    se = sd / np.sqrt(n)
    rises = np.diff(mean)
    excess = rises - se[1:]
    return {"sparsities": s["sparsities"], "plateau_mean": mean, "plateau_sd": sd, "dense_mean": s["dense_mean"],
            "dense_sd": s["dense_sd"], "max_rise_pp": float(rises.max()), "max_rise_minus_se": float(excess.max()),
            "non_increasing_within_se": bool(np.all(excess <= 0))}


def _escape_table(s, S) -> dict:
    e = _row(s, S)["escape"]
    return {n: {k: e[n][k] for k in ("mean", "ci", "p", "escapes", "significantly_negative", "above_null", "n")}
            | {"null_p95": _row(s, S)["null_p95"].get(n)} for n in e}


def regime_metrics(s: dict, Ss) -> dict:
    tab = {f"{S:g}": _escape_table(s, S) for S in Ss}
    esc = [(S, n) for S, t in tab.items() for n, v in t.items() if v["escapes"]]
    return {"sparsities": list(Ss), "escapes": esc, "n_escapes": len(esc), "table": tab}


def critical_metrics(s: dict) -> dict:
    tab = {f"{S:g}": _escape_table(s, S) for S in (0.65, 0.7, 0.75)}
    t = tab["0.7"]
    align = _paired(_d(s, 0.7, "S1"), _d(s, 0.7, "S3"))
    return {"table": tab, "kappa1_escapes": [n for n in ("S1", "S2") if t[n]["escapes"]],
            "kappa1_ci_high": {n: t[n]["ci"][1] for n in ("S1", "S2")},
            "alignment_diff": align["diff_mean"], "alignment_p_greater": align["p_greater"],
            "alignment_ci": [align["ci_low"], align["ci_high"]], "claimed_gain_pp": T.PAPER_GAINS_PP[
                "critical_smooth_S0.7"], "ftle_reported": _ftle_report(s, (0.65, 0.7, 0.75))}


def extreme_metrics(s: dict) -> dict:
    tab = {f"{S:g}": _escape_table(s, S) for S in (0.8, 0.85, 0.9)}
    t = tab["0.8"]
    return {"table": tab, "R1_escapes": t["R1"]["escapes"], "R2_escapes": t["R2"]["escapes"],
            "R1_mean": t["R1"]["mean"], "R1_ci": t["R1"]["ci"], "R1_null_p95": t["R1"]["null_p95"],
            "kappa1_negative": {n: t[n]["significantly_negative"] for n in ("S1", "S2")},
            "kappa1_ci": {n: t[n]["ci"] for n in ("S1", "S2")}, "claimed_gain_pp": T.PAPER_GAINS_PP[
                "extreme_raw_S0.8"], "ftle_reported": _ftle_report(s, (0.8, 0.85, 0.9))}


def _ftle_report(s: dict, Ss) -> dict:
    """The FTLE features SL (kappa=1 class) and RL (kappa=2 class) per S, reported beside the spec's families
    (not in their Holm family): mean Delta, paired 95% CI (unadjusted), own seed-mean null 95th percentile."""
    out = {}
    for S in Ss:
        sc = _row(s, S)["scorers"]
        for n in ("SL", "RL"):
            if n in sc and sc[n]["mean"] is not None:
                d = _d(s, S, n)
                c = stats.mean_ci(d[np.isfinite(d)])
                out[f"{n}@{S:g}"] = {"mean": c["mean"], "ci": [c["ci_low"], c["ci_high"]],
                                     "null_p95": sc[n]["null_p95"], "above_null": bool(
                                         sc[n]["null_p95"] is not None and c["mean"] > sc[n]["null_p95"])}
    return out


def fake_metrics(s: dict) -> dict:
    out = {}
    for S in (0.7, 0.8):
        # 90% intervals: the rule's one-sided 5% test (plateau.fake_control) reads the same level
        fg = _paired(_d(s, S, "F"), _d(s, S, "G"), 0.90)
        fr = _paired(_d(s, S, "F"), _d(s, S, "R1"), 0.90)
        out[f"{S:g}"] = {"F_minus_G": fg["diff_mean"], "F_minus_G_ci": [fg["ci_low"], fg["ci_high"]],
                         "p_less": fg["p_less"], "F_minus_R1": fr["diff_mean"],
                         "F_minus_R1_ci": [fr["ci_low"], fr["ci_high"]],
                         "q_F": _row(s, S)["scorers"]["F"]["q"], "q_G": _row(s, S)["scorers"]["G"]["q"]}
    return {"per_S": out}


def independence_metrics(s: dict) -> dict:
    alphas = [0.0, 0.25, 0.5, 0.75, 1.0]
    per = {}
    for S in (0.7, 0.8):
        ds = [_d(s, S, f"mix{a:g}") for a in alphas]
        means = [float(np.nanmean(d)) for d in ds]
        se = [float(np.nanstd(d, ddof=1) / np.sqrt(np.isfinite(d).sum())) for d in ds]
        rho = float(_st.spearmanr(alphas, means).statistic)
        end = _paired(ds[-1], ds[0])
        flat = all(_paired(ds[i], ds[0])["ci_low"] <= 0 <= _paired(ds[i], ds[0])["ci_high"] for i in range(1, 5))
        per[f"{S:g}"] = {"means": means, "se": se, "spearman": rho, "end_diff": end["diff_mean"],
                         "end_ci": [end["ci_low"], end["ci_high"]], "p_less": end["p_less"],
                         "p_greater": end["p_greater"], "flat": bool(flat),
                         "locked_share": T.mixture_locked_share(alphas).tolist()}
    return {"alphas": alphas, "per_S": per}


def null_metrics(s: dict) -> dict:
    tab, beat = {}, {}
    for S in s["sparsities"]:
        r = _row(s, S)
        tab[f"{S:g}"] = r["null_tables"]
        beat[f"{S:g}"] = {n: (r["scorers"][n]["mean"], r["scorers"][n]["null_p95"]) for n in NINE}
    k1 = any(_gt(*beat["0.7"][n]) for n in ("S1", "S2"))
    k2 = any(_gt(*beat["0.8"][n]) for n in ("R1", "R2"))
    above = sorted({f"{S}:{n}" for S, b in beat.items() for n, v in b.items() if _gt(*v)})
    return {"null_table": tab, "mean_vs_null_p95": beat, "kappa1_above_null_at_0.7": k1,
            "kappa2_above_null_at_0.8": k2, "above_null": above}


def _gt(a, b) -> bool:
    return a is not None and b is not None and a > b


def bump_chaos_metrics(s: dict) -> dict:
    """B-C10 at S = 0.7: chaos - bump gaps for the logistic features (S2, R1) and, when the design has them, the
    FTLE features (SL, RL), each against 2 SD of the difference-of-nulls; plus FTLE vs logistic at matched q."""
    out, vs = {}, {}
    r = _row(s, 0.7)
    chaos = ("S2", "R1") + tuple(c for c in ("SL", "RL") if c in r["scorers"])
    for c, base, dest in [(c, "S1", out) for c in chaos] + [(a, b, vs) for a, b in (("RL", "R1"), ("SL", "S2"))
                                                            if a in r["scorers"]]:
        g = _paired(_d(s, 0.7, c), _d(s, 0.7, base))
        sd = r.get("diff_null_sd", {}).get(f"{c}-{base}")
        dest[c if dest is out else f"{c}-{base}"] = {
            "gap": g["diff_mean"], "gap_ci": [g["ci_low"], g["ci_high"]], "null_diff_sd": sd,
            "survives": bool(sd is not None and g["diff_mean"] > 2 * sd)}
    ftle = {}
    for c in ("SL", "RL"):
        if c in r["scorers"]:
            v = r["scorers"][c]
            d = _paired(_d(s, 0.7, c), np.zeros(len(v["d"])))
            ftle[c] = {"mean": v["mean"], "ci": [d["ci_low"], d["ci_high"]], "null_p95": v["null_p95"],
                       "q": v["q"], "A_median": v["A_median"], "kappa": v["kappa"]}
    return {"per_chaos": out, "ftle_vs_logistic": vs, "ftle_scorers": ftle, "ftle": s.get("ftle"),
            "claimed_gap_pp": T.PAPER_GAINS_PP["chaos"] - T.PAPER_GAINS_PP["bump"],
            "q_S1": r["scorers"]["S1"]["q"], "q_S2": r["scorers"]["S2"]["q"], "q_R1": r["scorers"]["R1"]["q"]}


def boundary_metrics(rows: list, widths: list) -> dict:
    s1, mink, best, who = [], [], [], []
    for s in rows:
        hat, ks, bs, first = None, [], [], None
        for S in s["sparsities"]:
            r = _row(s, S)
            thr = r["maxstat_p95"] if r["maxstat_p95"] is not None else np.inf
            means = {n: r["scorers"][n]["mean"] for n in NINE if r["scorers"][n]["mean"] is not None}
            above = [n for n, v in means.items() if v > thr]
            bs.append(max(means.values()) - thr)
            if above and hat is None:
                hat, first = S, {n: means[n] for n in above} | {"threshold": thr}
            kap = [np.nanmedian([np.nan if x is None else x for x in r["scorers"][n]["kappa"]]) for n in above]
            ks.append(float(min(kap)) if kap else float("nan"))
        s1.append(hat)
        who.append(first)
        mink.append(ks)
        best.append(bs)
    found = [x for x in s1 if x is not None]
    return {"widths": widths, "S1_hat": s1, "first_above": who, "all_exist": len(found) == len(s1),
            "spread": float(max(found) - min(found)) if found else None,
            "max_dev_from_paper": float(max(abs(x - T.PAPER_BOUNDARIES[0]) for x in found)) if found else None,
            "min_kappa_escaping": mink, "best_minus_threshold": best, "grid_step": 0.025}


def multiplicity_metrics(s: dict) -> dict:
    g = s["global_maxstat_p95"]
    claims = {}
    for label, S, cands in (("kappa1@0.7", 0.7, KAPPA1[:2]), ("kappa2@0.8", 0.8, ("R1", "R2"))):
        r = _row(s, S)
        best = max(cands, key=lambda n: -np.inf if r["scorers"][n]["mean"] is None else r["scorers"][n]["mean"])
        v = r["scorers"][best]["mean"]
        claims[label] = {"scorer": best, "mean": v, "per_S_threshold": r["maxstat_p95"], "global_threshold": g,
                         "survives_per_S": _gt(v, r["maxstat_p95"]), "survives_global": _gt(v, g)}
    cells = {f"{S:g}:{n}": _row(s, S)["scorers"][n]["mean"] for S in T.PAPER_GRID for n in NINE}
    survivors = sorted(c for c, v in cells.items() if _gt(v, g))
    return {"global_threshold": g, "claimed": claims, "cells_above_global": survivors,
            "per_S_threshold": {f"{S:g}": _row(s, S)["maxstat_p95"] for S in T.PAPER_GRID}}


def delta_plot(s: dict) -> dict:
    """Delta(S) per feature class with 95% CIs and the seed-mean null band [5%, 95%] at q_target."""
    Ss = s["sparsities"]
    curves = []
    for n in NINE[2:] + tuple(c for c in ("SL", "RL") if c in _row(s, Ss[0])["scorers"]):
        m, h = [], []
        for S in Ss:
            e = _row(s, S)["escape"].get(n) if n not in ("M3",) else None
            if e is None:
                c = stats.mean_ci(_d(s, S, n)[np.isfinite(_d(s, S, n))])
                m.append(c["mean"])
                h.append(c["ci_high"] - c["mean"])
            else:
                m.append(e["mean"])
                h.append(e["ci"][1] - e["mean"] if np.isfinite(e["mean"]) else np.nan)
        curves.append(plots.series(n, Ss, m, yerr=h))
    band = {"x": Ss, "low": [_row(s, S)["null_table"].get("seed_mean_p05", np.nan) for S in Ss],
            "high": [_row(s, S)["null_table"].get("seed_mean_p95", np.nan) for S in Ss],
            "label": "random-swap seed-mean null 5-95% (q_target)"}
    return plots.line("plateau-delta-vs-s", "escape Delta(S) per feature class (MLP 256, 10 seeds, 95% CI)",
                      "sparsity S", "Delta vs L2 plateau [pp]", curves, bands=[band],
                      hlines=[{"y": 0.0, "label": "plateau"}])


def cells(s: dict, Ss, names) -> dict:
    """Per (S, scorer) the evidence the interval rules read: per-seed d_j (pp, NaN where the amplitude was not
    reachable), the randomisation p-value of the mean against the resampled seed-mean null (None where no null)
    and each seed's own null mean at its q_j."""
    out = {}
    for S in Ss:
        sc = _row(s, S)["scorers"]
        out[f"{S:g}"] = {n: {"d": [float(x) for x in sc[n]["d"]], "p_null": sc[n].get("p_null"),
                             "null_seed_mean": sc[n].get("null_seed_mean")} for n in names if n in sc}
    return out


def plateau_per_seed(s: dict) -> list:
    """[seeds][S] plateau accuracies (pp)."""
    return s["plateau"]["per_seed"]
