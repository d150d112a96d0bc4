"""Model gateway: serves ONNX models and PyTorch state dicts (weights only)."""
import onnxruntime as ort
import torch
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

relevance = ort.InferenceSession("/models/relevance.onnx")
state = torch.load("/models/fraud_scorer.pt", weights_only=True)


async def predict(request):
    payload = await request.json()
    outputs = relevance.run(None, {"input": payload["input"]})
    return JSONResponse({"outputs": [o.tolist() for o in outputs]})


app = Starlette(routes=[Route("/predict", predict, methods=["POST"])])
