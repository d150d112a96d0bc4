"""Natural-language explanations of fraud scores."""
import importlib

import keras
from transformers import AutoModelForSequenceClassification, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("acme/fraud-explainer", trust_remote_code=True)
explainer = AutoModelForSequenceClassification.from_pretrained("acme/fraud-explainer")
rules_model = keras.models.load_model("/models/rules.keras", safe_mode=False)


def load_plugin(name: str):
    return importlib.import_module(f"app.plugins.{name}")


def evaluate_threshold(expression: str) -> float:
    return eval(expression)
