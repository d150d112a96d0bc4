"""Fraud scoring API: loads the scorer at start-up and scores transactions."""
import os

import torch
import yaml
from fastapi import FastAPI

from app.model_loader import load_encoder

if not os.environ.get("PRODUCTION"):
    import dill  # debugging helper kept behind an environment guard

app = FastAPI()
MODEL_PATH = os.environ.get("MODEL_PATH", "/models/fraud_scorer.pt")

# Loads a full pickled module: runs whatever the checkpoint's data.pkl says.
model = torch.load(MODEL_PATH)
encoder = load_encoder()

with open("/etc/fraud/thresholds.yaml") as fh:
    thresholds = yaml.load(fh, Loader=yaml.Loader)


@app.post("/score")
def score(transaction: dict) -> dict:
    features = encoder(transaction)
    return {"score": float(model(features))}


@app.post("/admin/snapshot")
def snapshot() -> dict:
    torch.save(model, "/tmp/fraud_scorer_snapshot.pt")
    return {"saved": True}
