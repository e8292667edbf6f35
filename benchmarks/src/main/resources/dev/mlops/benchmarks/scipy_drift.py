"""Times SciPy's two-sample tests on the data the drift benchmark generated.

The benchmark writes its reference and current frames to one file of little-endian doubles,
column after column (every reference column, then every current column), and runs

    python3 scipy_drift.py FILE ROWS COLUMNS REPEATS

which prints one JSON object: for ks_2samp and wasserstein_distance, the seconds each repeat took
over all columns, one column after the other as Evidently runs them, and the statistics of the
last repeat (so that the caller can check both sides computed the same thing).
"""
import json
import sys
import time

import numpy as np
from scipy import stats


def main(argv):
    path, rows, columns, repeats = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    data = np.fromfile(path, dtype="<f8")
    if data.size != 2 * rows * columns:
        raise SystemExit(f"{path} holds {data.size} doubles, expected 2 x {rows} x {columns}")
    data = data.reshape(2 * columns, rows)
    reference, current = data[:columns], data[columns:]
    out = {"scipy": __import__("scipy").__version__, "numpy": np.__version__}
    tests = {
        "ks": lambda r, c: stats.ks_2samp(r, c).statistic,
        "wasserstein": lambda r, c: stats.wasserstein_distance(r, c),
    }
    for name, test in tests.items():
        seconds = []
        statistics = []
        for _ in range(repeats):
            start = time.perf_counter()
            statistics = [float(test(reference[j], current[j])) for j in range(columns)]
            seconds.append(time.perf_counter() - start)
        out[name] = {"seconds": seconds, "statistics": statistics}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
