#!/usr/bin/env python3
"""An independent re-implementation of hcp's evaluator sampling (shared/src/sampling.cpp), written
from the description in docs/reports.md, for checking the C++ golden values by a second route.

    python3 tests/shared/golden/sampling_reference.py

prints the SplitMix64 / xoshiro256** vectors and the samples that tests/shared/sampling_test.cpp
expects. Python integers do not overflow, so every 64-bit step is masked explicitly."""

M = (1 << 64) - 1


def splitmix64(seed):
    state = seed & M
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


class Xoshiro256:
    def __init__(self, seed):
        sm = splitmix64(seed)
        self.s = [next(sm) for _ in range(4)]

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def below(self, bound):
        threshold = (1 << 64) % bound  # rejected: the first 2^64 mod bound values
        while True:
            x = self.next()
            if x >= threshold:
                return x % bound


def draw(frame, size, seed):
    """frame: {unit: [evaluator ids]} (distinct). Returns allocations and picks."""
    units = sorted(frame)
    pops = {u: sorted(set(frame[u]), key=lambda s: s.encode()) for u in units}
    total = sum(len(p) for p in pops.values())
    n = min(size, total)
    alloc = {u: n * len(pops[u]) // total for u in units}
    rem = {u: n * len(pops[u]) % total for u in units}
    left = n - sum(alloc.values())
    order = sorted(units, key=lambda u: (-rem[u], -len(pops[u]), u.encode()))
    for u in order[:left]:
        alloc[u] += 1
    rng = Xoshiro256(seed)
    picks = []
    for u in units:
        a = list(pops[u])
        for j in range(alloc[u]):
            r = j + rng.below(len(a) - j)
            a[j], a[r] = a[r], a[j]
            picks.append((u, a[j]))
    return alloc, picks


if __name__ == "__main__":
    sm = splitmix64(1234567)
    print("splitmix64(1234567):", [next(sm) for _ in range(5)])
    x = Xoshiro256(0)
    print("xoshiro256**(seed 0):", [x.next() for _ in range(4)])
    x = Xoshiro256(42)
    print("below(10) x8, seed 42:", [x.below(10) for _ in range(8)])
    frame = {"UA": ["a1", "a2", "a3", "a4", "a5"], "UB": ["b1", "b2", "b3"], "UC": ["c1", "c2"]}
    for seed in (1, 20260331):
        print("frame 5/3/2 size 4 seed", seed, draw(frame, 4, seed))
    tie = {"U1": ["x1", "x2"], "U2": ["y1", "y2"], "U3": ["z1", "z2"]}
    print("tie 2/2/2 size 4 seed 7", draw(tie, 4, 7))
    uneven = {"UA": ["a1"], "UB": ["b1", "b2", "b3"], "UC": ["c%d" % i for i in range(1, 7)]}
    print("uneven 1/3/6 size 5 seed 7", draw(uneven, 5, 7)[0])
