"""Offline training export (not serving code): writes the model for review and conversion."""
import torch


def export(model, path: str) -> None:
    torch.save(model.state_dict(), path)
