#!/usr/bin/python3
"""Writes a sparse Keras-2-shaped .h5 of about SIZE bytes for the scanner benchmark:

    /usr/bin/python3 bench/sparse_keras_h5.py OUT SIZE

Two contiguous weight datasets of SIZE/2 each are allocated early but never written (fill time
"never"), so the file is mostly holes; the model_config attribute is written between them, which
puts its JSON (a global heap collection) in the middle of the file, where no head/tail window reaches.
"""
import json
import sys

import h5py
import numpy as np


def dataset(f, name, size):
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    dcpl.set_fill_time(h5py.h5d.FILL_TIME_NEVER)
    space = h5py.h5s.create_simple((size,))
    h5py.h5d.create(f.id, name.encode(), h5py.h5t.NATIVE_UINT8, space, dcpl=dcpl)


def main(out, size):
    config = {"class_name": "Sequential", "config": {"name": "dense_model", "layers": [
        {"class_name": "Dense", "config": {"name": f"dense_{i}", "units": 8}} for i in range(50)]}}
    with h5py.File(out, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        dataset(f, "weights_a", size // 2)
        f.attrs["model_config"] = json.dumps(config)
        dataset(f, "weights_b", size // 2)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
