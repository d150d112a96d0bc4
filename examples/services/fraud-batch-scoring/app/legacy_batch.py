"""Legacy batch scorer, kept for the monthly re-score. Half-migrated: does not parse."""
import tensorflow as tf
from model_utils import load_estimator

graph = tf.saved_model.load("/models/legacy_savedmodel")
estimator = load_estimator("/models/legacy.joblib")

def rescore(batch:
    return estimator.predict(batch)
