/**
 * Names attackers imitate: popular ML and Python infrastructure distributions (PEP 503 normalised).
 */
export const POPULAR_PACKAGES: readonly string[] = [
  'torch', 'torchvision', 'torchaudio', 'tensorflow', 'tensorflow-gpu', 'tensorboard', 'keras', 'jax', 'jaxlib',
  'numpy', 'scipy', 'pandas', 'scikit-learn', 'scikit-image', 'matplotlib', 'seaborn', 'statsmodels',
  'transformers', 'tokenizers', 'safetensors', 'huggingface-hub', 'datasets', 'accelerate', 'diffusers',
  'sentence-transformers', 'peft', 'bitsandbytes', 'onnx', 'onnxruntime', 'onnxruntime-gpu', 'xgboost',
  'lightgbm', 'catboost', 'openai', 'anthropic', 'langchain', 'langchain-core', 'llama-index', 'tiktoken',
  'sentencepiece', 'mlflow', 'wandb', 'ray', 'dask', 'pyspark', 'opencv-python', 'pillow', 'nltk', 'spacy',
  'gensim', 'requests', 'urllib3', 'certifi', 'setuptools', 'pyyaml', 'protobuf', 'cryptography', 'boto3',
  'botocore', 'fastapi', 'flask', 'django', 'pydantic', 'uvicorn', 'jinja2', 'click', 'tqdm', 'colorama',
  'beautifulsoup4', 'lxml', 'aiohttp', 'httpx', 'pytest', 'joblib', 'cloudpickle', 'dill', 'triton', 'vllm',
];

/**
 * Real distributions one typo away from a popular name: never reported as typosquats.
 */
export const KNOWN_NEIGHBOURS: readonly string[] = [
  'scapy', 'torchx', 'boto', 'pyaml', 'jinja', 'panda', 'numpyro', 'tensorflow-cpu', 'onnxruntime-gpu',
  'tensorflow-gpu', 'keras-nlp', 'keras-cv', 'requests-oauthlib', 'httpx-sse', 'raylib', 'flask-cors',
  'pydantic-core', 'torchdata', 'torchtext', 'jaxtyping', 'click-plugins', 'numba', 'spacy-legacy', 'fastai', 'wand',
  'dataset', 'openapi',
];
