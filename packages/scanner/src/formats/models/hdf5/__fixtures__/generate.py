#!/usr/bin/python3
"""Regenerates the HDF5 fixtures with h5py (Debian's python3-h5py). Run from this folder:

    /usr/bin/python3 generate.py

Each file is a Keras-2-shaped .h5 whose model_config attribute sits where a bounded byte search
does not look: after tensor data, in a continuation block, in dense attribute storage.
Deterministic: no timestamps (track_times=False), fixed data.
"""
import gzip
import io
import json
import os

import h5py
import numpy as np

LAMBDA_CODE = "4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAdABkAYMBAQB8AFMAKQJOWgJpZCkB2gRleGVjKQHaAXipAHIDAAAA+gA8bGFtYmRhPgEAAADzAAAAAA=="


def model_config(extra_layers=0, lambda_layer=True):
    layers = [{"class_name": "Dense", "config": {"name": f"dense_{i}", "units": 4}} for i in range(1 + extra_layers)]
    if lambda_layer:
        layers.append({"class_name": "Lambda", "config": {"name": "evil", "function": [LAMBDA_CODE, None, None], "function_type": "lambda"}})
    return json.dumps({"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}})


def datasets(f, count, size, prefix="w"):
    group = f.require_group("model_weights")
    for i in range(count):
        group.create_dataset(f"{prefix}{i}", data=np.full(size, i % 251, dtype=np.uint8), track_times=False)


def write(name, build, libver=None, compress=False):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w", libver=libver, track_order=None) as f:
        build(f)
    data = buffer.getvalue()
    if compress:
        with open(name + ".gz", "wb") as out:
            out.write(gzip.compress(data, mtime=0))
    else:
        with open(name, "wb") as out:
            out.write(data)
    print(name, len(data))


def mid_file_vlen(f):
    # 10 MiB of weights, the attribute (its JSON lands in a global heap after them), 10 MiB more.
    datasets(f, 10, 1 << 20, "a")
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["model_config"] = model_config()
    datasets(f, 10, 1 << 20, "b")


def mid_file_fixed(f):
    # np.bytes_ is a fixed-length string (h5py stores plain bytes as variable-length): the root header overflows into a continuation block.
    datasets(f, 10, 1 << 20, "a")
    f.attrs["keras_version"] = np.bytes_(b"2.15.0")
    f.attrs["model_config"] = np.bytes_(model_config().encode())
    datasets(f, 10, 1 << 20, "b")


def dense_attributes(f):
    # libver latest: over 8 attributes go to dense storage (fractal heap + v2 B-tree); a config over
    # 4 KiB is a huge heap object, and the 64 KiB+ one cannot be compact at all.
    datasets(f, 3, 1024)
    for i in range(12):
        f.attrs[f"meta_{i}"] = f"value {i}"
    f.attrs["model_config"] = np.bytes_(model_config(extra_layers=1500).encode())
    f.attrs["training_config"] = json.dumps({"loss": "mse"})


def dense_links(f):
    # A group with many members (dense link storage), the config on a nested group's attribute.
    group = f.create_group("layers")
    for i in range(40):
        group.create_group(f"layer_{i:02d}")
    group["layer_33"].attrs["model_config"] = model_config()


def benign_dense(f):
    datasets(f, 3, 1024)
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = model_config(extra_layers=2, lambda_layer=False)
    f.attrs["training_config"] = json.dumps({"loss": "mse", "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.001}}})


def benign_latest(f):
    benign_dense(f)
    for i in range(12):
        f.attrs[f"meta_{i}"] = np.arange(i + 1, dtype=np.float32)


def weights_only(f):
    # The Keras 3 model.weights.h5 shape: layers/<name>/vars/<i>, no config attributes.
    for layer in ("dense", "dense_1"):
        group = f.create_group(f"layers/{layer}/vars")
        group.create_dataset("0", data=np.ones((4, 4), dtype=np.float32), track_times=False)
        group.create_dataset("1", data=np.zeros(4, dtype=np.float32), track_times=False)
    f.create_group("optimizer/vars")


def declared_16gib(f):
    # CVE-2026-12570 shape: a Keras 3 weights layout whose chunked datasets are never written, so a
    # 16 GiB shape costs a few KB of file; Keras allocates the whole shape on load.
    group = f.create_group("layers/dense/vars")
    group.create_dataset("0", shape=(1 << 16, 1 << 16), dtype=np.float32, chunks=(64, 64), track_times=False)
    group.create_dataset("1", data=np.zeros(4, dtype=np.float32), track_times=False)


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    write("mid_file_vlen_20mib.h5", mid_file_vlen, compress=True)
    write("mid_file_fixed_20mib.h5", mid_file_fixed, compress=True)
    write("dense_attributes_latest.h5", dense_attributes, libver="latest")
    write("dense_links_latest.h5", dense_links, libver="latest")
    write("benign_keras2.h5", benign_dense)
    write("benign_latest.h5", benign_latest, libver="latest")
    write("weights_only.h5", weights_only)
    write("declared_16gib.h5", declared_16gib)
