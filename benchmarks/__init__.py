"""ipemu's benchmarks: `python -m benchmarks` prints the figures of issue 19."""
