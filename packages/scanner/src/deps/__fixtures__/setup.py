from setuptools import setup, find_packages

setup(
    name="legacy-scorer",
    version="1.2.0",
    packages=find_packages(),
    install_requires=[
        "numpy>=1.21",
        'dill==0.3.6',  # model snapshots
        "tensorfiow>=2.12",
    ],
)
