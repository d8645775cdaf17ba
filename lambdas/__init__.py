"""AWS Lambda functions, each packaged with the project modules it needs (see <function>/package.py)."""
