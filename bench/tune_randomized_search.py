"""scikit-learn's RandomizedSearchCV with the same budget of trials as `nabla tune --model auto`, for bench/compare-tune.sh.

With --split, writes the CSV file's rows split 80/20 (stratified for classes) with the seed as TRAIN.csv and TEST.csv,
so that Nabla and scikit-learn are scored on the very same test rows. Otherwise one run: a RandomizedSearchCV of n_iter
settings over the same model families and ranges as Nabla's default spaces (StandardScaler, then LogisticRegression,
LinearSVC or MLPClassifier for classes; Ridge or MLPRegressor for numbers), each scored by 5-fold cross-validation of
the training rows (stratified and shuffled for classes), refitted on them, and scored once on the test rows.
Prints one JSON object: the test score, the best settings, the search's seconds.

Usage: tune_randomized_search.py --split CSV TARGET SEED TRAIN TEST
       tune_randomized_search.py TRAIN TEST TARGET SEED N_ITER
"""
import json
import os
import sys
import time
import warnings

# With ANCHORS set (compare-tune.sh sets it), the anchors' common.py restarts Python as the anchors run, without the
# OPENBLAS_CORETYPE that pins OpenBLAS to slow kernels: scikit-learn at its best.
if os.environ.get("ANCHORS"):
    sys.path.insert(0, os.environ["ANCHORS"])
    import common  # noqa: F401,E402

import numpy as np
from scipy.stats import loguniform, uniform
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, RandomizedSearchCV, StratifiedKFold, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore", category=ConvergenceWarning)
# MLPClassifier clips a batch larger than a fold to the fold, and says so each time.
warnings.filterwarnings("ignore", message="Got `batch_size` less than 1")

def read(path, target):
    header = open(path).readline().strip().split(",")
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=str)
    return header, data, data[:, header.index(target)]


def is_classification(y_text):
    """Classes: a target of text, or of a few whole numbers (as Nabla's --task auto decides)."""
    try:
        y_numbers = y_text.astype(float)
    except ValueError:
        return True
    return bool(np.all(y_numbers == np.round(y_numbers)) and len(np.unique(y_numbers)) <= 20)


if sys.argv[1] == "--split":
    path, target, seed, train_path, test_path = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
    header, data, y_text = read(path, target)
    train, test = train_test_split(np.arange(len(data)), test_size=0.2, random_state=seed,
                                   stratify=y_text if is_classification(y_text) else None)
    lines = open(path).read().splitlines()
    for rows, out in ((train, train_path), (test, test_path)):
        with open(out, "w") as f:
            f.write("\n".join([lines[0]] + [lines[1 + i] for i in sorted(rows)]) + "\n")
    sys.exit(0)

train_path, test_path, target, seed, n_iter = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
header, train, y_train_text = read(train_path, target)
_, test, y_test_text = read(test_path, target)
classification = is_classification(np.concatenate([y_train_text, y_test_text]))
x_train = np.delete(train, header.index(target), axis=1).astype(float)
x_test = np.delete(test, header.index(target), axis=1).astype(float)
y_train = y_train_text if classification else y_train_text.astype(float)
y_test = y_test_text if classification else y_test_text.astype(float)

hidden = [(64,), (128,), (256,), (128, 64), (256, 128), (128, 64, 32)]
mlp = {"learning_rate_init": loguniform(1e-4, 3e-2), "hidden_layer_sizes": hidden, "activation": ["relu", "tanh"],
       "alpha": loguniform(1e-6, 1e-2), "batch_size": [32, 64, 128]}
if classification:
    space = [
        {"model": [LogisticRegression(max_iter=100)], "model__C": loguniform(1e-2, 1e4)},
        {"model": [LinearSVC(max_iter=1000)], "model__C": loguniform(1e-2, 1e4)},
        {"model": [MLPClassifier(max_iter=30, random_state=seed)], **{f"model__{k}": v for k, v in mlp.items()}},
    ]
    cv, scoring = StratifiedKFold(5, shuffle=True, random_state=seed), "accuracy"
else:
    space = [
        {"model": [Ridge()], "model__alpha": loguniform(1e-4, 1e3)},
        {"model": [MLPRegressor(max_iter=30, random_state=seed)], **{f"model__{k}": v for k, v in mlp.items()}},
    ]
    cv, scoring = KFold(5, shuffle=True, random_state=seed), "r2"

search = RandomizedSearchCV(Pipeline([("scale", StandardScaler()), ("model", LogisticRegression())]), space,
                            n_iter=n_iter, cv=cv, scoring=scoring, random_state=seed, n_jobs=1)
start = time.perf_counter()
search.fit(x_train, y_train)
seconds = time.perf_counter() - start
best = {k: (v.__class__.__name__ if k == "model" else v) for k, v in search.best_params_.items()}
print(json.dumps({"test": search.score(x_test, y_test), "metric": scoring, "cv": search.best_score_,
                  "best": {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in best.items()}, "seconds": seconds}))
