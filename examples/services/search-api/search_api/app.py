"""Search API: ranks documents with the scikit-learn ranker and the query embeddings."""
import importlib

import joblib
import numpy as np
from flask import Flask, request

app = Flask(__name__)
ranker = joblib.load("/models/ranker.joblib")
embeddings = np.load("/models/embeddings.npy")
centroids = np.load("/models/centroids.npz", allow_pickle=True)

try:
    from keras.models import load_model
except ImportError:  # optional sentiment feature
    load_model = None

sentiment = load_model("/models/sentiment.keras", safe_mode=False) if load_model else None


def load_plugin(name: str):
    """Ranking plugins are configured by name."""
    return importlib.import_module(name)


@app.get("/search")
def search():
    query = request.args["q"]
    return {"results": ranker.predict([query]).tolist()}
