"""Research instruments over annotation files, no Django: annotator agreement (agreement.py) and corpus
statistics (stats.py). docs/corpus.md describes the commands, the numbers and their sources."""
