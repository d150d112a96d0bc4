from setuptools import find_packages, setup


def read_requirements():
    with open("requirements.txt") as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith(("#", "-"))]


setup(
    name="fraud-batch-scoring",
    version="0.4.0",
    packages=find_packages(),
    install_requires=read_requirements(),
)
