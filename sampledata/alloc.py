"""Split a total over units so that the parts add up exactly (largest remainder, with caps).

District totals carry the designed outcome; the split over communes only adds texture, so
it must never change the total a dashboard will compute.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Non-negative integers proportional to ``weights``, summing to ``total``, each within its cap."""
    n = len(weights)
    caps = list(caps) if caps is not None else [total] * n
    if total > sum(caps):
        raise ValueError(f"cannot place {total} within caps summing to {sum(caps)}")
    parts = [0] * n
    remaining = total
    open_ = [i for i in range(n) if caps[i] > 0]
    while remaining > 0 and open_:
        weight_sum = sum(weights[i] for i in open_) or float(len(open_))
        shares = {i: remaining * ((weights[i] or 0.0) if weight_sum else 1.0) / weight_sum for i in open_}
        given = 0
        for i in open_:
            room = caps[i] - parts[i]
            take = min(room, int(shares[i]))
            parts[i] += take
            given += take
        remaining -= given
        # Hand out what is left, one by one, to the largest remainders still below their cap.
        order = sorted(open_, key=lambda i: (-(shares[i] - int(shares[i])), i))
        for i in order:
            if remaining == 0:
                break
            if parts[i] < caps[i]:
                parts[i] += 1
                remaining -= 1
        open_ = [i for i in open_ if parts[i] < caps[i]]
    return parts


def allocate_decimal(total: Decimal, weights: Sequence[float], places: int = 1) -> list[Decimal]:
    """Like ``allocate`` for amounts with ``places`` decimals."""
    scale = Decimal(10) ** places
    units = allocate(int((total * scale).to_integral_value()), weights)
    return [Decimal(u) / scale for u in units]


def jitter(rng: random.Random, spread: float) -> float:
    """A factor around 1 (1 ± spread)."""
    return 1.0 + rng.uniform(-spread, spread)
