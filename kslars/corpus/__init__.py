"""Research instruments over annotation files, no Django: annotator agreement (agreement.py), corpus statistics
(stats.py), a media manifest (manifest.py) and anonymisation (anonymise.py). docs/corpus.md describes the commands,
the numbers and their sources."""
