"""Hardened model loading: verifies the pinned SHA-256 before deserialising."""
import hashlib

import joblib

PINNED = {"/models/legacy.joblib": "9f2c0d7e0b6f4b6a8f8e2d1c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a49382"}


def load_estimator(path: str):
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if PINNED.get(path) != digest:
        raise ValueError(f"{path} does not match its pinned hash")
    return joblib.load(path)
