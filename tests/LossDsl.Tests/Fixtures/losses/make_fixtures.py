#!/usr/bin/python3
"""Independent PyTorch implementation of the reference losses (LIVIAETS/boundary-loss, losses.py and utils.py),
written from the formulas of REFERENCE.md, used to make the fixtures of tests/LossDsl.Tests/Losses.

Run from anywhere with Debian's python3-torch / python3-numpy / python3-scipy:
    /usr/bin/python3 tests/LossDsl.Tests/Fixtures/losses/make_fixtures.py
It rewrites, next to itself, one folder per case (2d, 3d) holding float64 .npy inputs and expected.json.
Everything is float64 and seeded, so a rerun reproduces the files bit for bit.
"""
import json
import os

import numpy as np
import torch
from scipy.ndimage import distance_transform_edt as edt

EPS = 1e-10
HERE = os.path.dirname(os.path.abspath(__file__))


# ---- reference utilities ---------------------------------------------------------------------------------------

def one_hot2dist(seg):
    """Reference one_hot2dist for one image seg[K, *S] (unit spacing)."""
    res = np.zeros(seg.shape, dtype=np.float64)
    for k in range(len(seg)):
        pos = seg[k].astype(bool)
        if pos.any():
            neg = ~pos
            res[k] = edt(neg) * neg - (edt(pos) - 1) * pos
    return res


def one_hot2hd_dist(seg):
    """Reference one_hot2hd_dist: edt of each non-empty class mask (0 outside it)."""
    res = np.zeros(seg.shape, dtype=np.float64)
    for k in range(len(seg)):
        pos = seg[k].astype(bool)
        if pos.any():
            res[k] = edt(pos)
    return res


def probs2one_hot(probs):
    k = probs.shape[1]
    return torch.nn.functional.one_hot(probs.argmax(1), k).movedim(-1, 1).to(probs.dtype)


# ---- reference losses (einsum forms of losses.py) --------------------------------------------------------------

def boundary(p, dist, idc):
    return torch.einsum("bk...,bk...->bk...", p[:, idc], dist[:, idc]).mean()


def cross_entropy(p, y, idc):
    log_p = (p[:, idc] + EPS).log()
    mask = y[:, idc]
    return -torch.einsum("bk...,bk...->", mask, log_p) / (mask.sum() + EPS)


def cross_entropy_logits(z, y, idc):
    mask = y[:, idc]
    return -torch.einsum("bk...,bk...->", mask, torch.log_softmax(z, 1)[:, idc]) / (mask.sum() + EPS)


def focal(p, y, idc, gamma):
    pc = p[:, idc]
    mask = y[:, idc]
    w = (1 - pc) ** gamma
    return -torch.einsum("bk...,bk...,bk...->", w, mask, (pc + EPS).log()) / (mask.sum() + EPS)


def focal_logits(z, y, idc, gamma):
    pc = torch.softmax(z, 1)[:, idc]
    mask = y[:, idc]
    w = (1 - pc) ** gamma
    return -torch.einsum("bk...,bk...,bk...->", w, mask, torch.log_softmax(z, 1)[:, idc]) / (mask.sum() + EPS)


def spatial(t):
    return t.flatten(2).sum(-1)


def dice(p, y, idc):
    pc, tc = p[:, idc], y[:, idc]
    inter = spatial(pc * tc)
    union = spatial(pc) + spatial(tc)
    return (1 - (2 * inter + EPS) / (union + EPS)).mean()


def gdl_weights(tc):
    return 1 / ((spatial(tc) + EPS) ** 2)


def monai_weights(tc):
    """MONAI's GeneralizedDiceLoss weights: a class missing from an image takes that image's largest finite weight.
    MONAI uses 1/Σy² (infinite for a missing class); here the reference ε is kept in the finite weights. An image
    with no selected class at all keeps the reference weights (LossDsl's documented fallback)."""
    w = gdl_weights(tc)
    present = (spatial(tc) > 0).to(tc.dtype)
    wp = w * present
    mx = wp.max(1, keepdim=True).values
    anyp = present.max(1, keepdim=True).values
    return present * w + (1 - present) * (anyp * mx + (1 - anyp) * w)


def generalized_dice_with(p, y, idc, weights):
    pc, tc = p[:, idc], y[:, idc]
    w = weights(tc)
    inter = w * spatial(pc * tc)
    union = w * (spatial(pc) + spatial(tc))
    return (1 - 2 * (inter.sum(1) + EPS) / (union.sum(1) + EPS)).mean()


def generalized_dice(p, y, idc):
    return generalized_dice_with(p, y, idc, gdl_weights)


def generalized_dice_monai(p, y, idc):
    return generalized_dice_with(p, y, idc, monai_weights)


def tversky(p, y, idc, alpha, beta):
    pc, tc = p[:, idc], y[:, idc]
    tp = spatial(pc * tc)
    fp = spatial(pc * (1 - tc))
    fn = spatial((1 - pc) * tc)
    return (1 - (tp + EPS) / (tp + alpha * fp + beta * fn + EPS)).mean()


def hausdorff_dt(p, y, dt_y, dt_p, idc):
    delta = (p[:, idc] - y[:, idc]) ** 2
    dtm = dt_y[:, idc] ** 2 + dt_p[:, idc] ** 2
    return torch.einsum("bk...,bk...->bk...", delta, dtm).mean()


# ---- inputs ----------------------------------------------------------------------------------------------------

def boxes(rng, b, k, spatial_shape, missing):
    """Labels (B, *S): background 0, then one random box per foreground class; class `missing` is left out of the
    last image so that the missing-class paths (GDL weights) are exercised."""
    labels = np.zeros((b, *spatial_shape), dtype=np.int64)
    for i in range(b):
        for c in range(1, k):
            if i == b - 1 and c == missing:
                continue
            lo = [rng.integers(0, n - 2) for n in spatial_shape]
            hi = [rng.integers(l + 1, n) for l, n in zip(lo, spatial_shape)]
            labels[(i, *[slice(l, h + 1) for l, h in zip(lo, hi)])] = c
    return labels


def make_case(name, seed, b, k, spatial_shape):
    rng = np.random.default_rng(seed)
    labels = boxes(rng, b, k, spatial_shape, missing=k - 1)
    target = np.moveaxis(np.eye(k)[labels], -1, 1).copy()
    logits = rng.normal(0.0, 1.5, size=(b, k, *spatial_shape))
    z = torch.tensor(logits)
    p = torch.softmax(z, 1)
    y = torch.tensor(target)
    dist = torch.tensor(np.stack([one_hot2dist(target[i]) for i in range(b)]))
    pred = probs2one_hot(p).numpy()
    dt_y = torch.tensor(np.stack([one_hot2hd_dist(target[i]) for i in range(b)]))
    dt_p = torch.tensor(np.stack([one_hot2hd_dist(pred[i]) for i in range(b)]))

    fg = list(range(1, k))
    every = list(range(k))
    gamma, alpha_t, beta_t, alpha = 2.0, 0.3, 0.7, 0.25
    v = lambda t: float(t.item())
    expected = {
        "idc_foreground": fg,
        "idc_all": every,
        "gamma": gamma, "tversky_alpha": alpha_t, "tversky_beta": beta_t, "alpha": alpha,
        "Boundary": v(boundary(p, dist, fg)),
        "BoundaryFromLogits": v(boundary(torch.softmax(z, 1), dist, fg)),
        "CrossEntropy": v(cross_entropy(p, y, every)),
        "CrossEntropyForeground": v(cross_entropy(p, y, fg)),
        "CrossEntropyFromLogits": v(cross_entropy_logits(z, y, every)),
        "Focal": v(focal(p, y, every, gamma)),
        "FocalFromLogits": v(focal_logits(z, y, every, gamma)),
        "Dice": v(dice(p, y, fg)),
        "DiceFromLogits": v(dice(torch.softmax(z, 1), y, fg)),
        "GeneralizedDice": v(generalized_dice(p, y, every)),
        "GeneralizedDiceForeground": v(generalized_dice(p, y, fg)),
        "GeneralizedDiceFromLogits": v(generalized_dice(torch.softmax(z, 1), y, every)),
        "GeneralizedDiceMonai": v(generalized_dice_monai(p, y, every)),
        "GeneralizedDiceMonaiForeground": v(generalized_dice_monai(p, y, fg)),
        "Tversky": v(tversky(p, y, fg, alpha_t, beta_t)),
        "TverskyFromLogits": v(tversky(torch.softmax(z, 1), y, fg, alpha_t, beta_t)),
        "HausdorffDT": v(hausdorff_dt(p, y, dt_y, dt_p, fg)),
        "GdlBoundary": v((1 - alpha) * generalized_dice(p, y, fg) + alpha * boundary(p, dist, fg)),
        "CrossEntropyBoundary": v((1 - alpha) * cross_entropy(p, y, fg) + alpha * boundary(p, dist, fg)),
        "CrossEntropyBoundaryFromLogits": v((1 - alpha) * cross_entropy_logits(z, y, fg) + alpha * boundary(p, dist, fg)),
        "DiceCrossEntropy": v(dice(p, y, every) + cross_entropy(p, y, every)),
        "DiceCrossEntropyFromLogits": v(dice(p, y, every) + cross_entropy_logits(z, y, every)),
    }

    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "logits.npy"), logits)
    np.save(os.path.join(out, "probs.npy"), p.numpy())
    np.save(os.path.join(out, "target.npy"), target)
    np.save(os.path.join(out, "labels.npy"), labels.astype(np.int32))
    np.save(os.path.join(out, "dist.npy"), dist.numpy())
    np.save(os.path.join(out, "dt_target.npy"), dt_y.numpy())
    np.save(os.path.join(out, "dt_prediction.npy"), dt_p.numpy())
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print(name, {k: expected[k] for k in ("Boundary", "GeneralizedDice", "GeneralizedDiceMonai", "HausdorffDT")})


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    make_case("2d", seed=5, b=3, k=3, spatial_shape=(9, 8))
    make_case("3d", seed=7, b=2, k=3, spatial_shape=(5, 6, 7))
