"""Integrity: coordinated campaigns in comments and scripted waves in signatures.

``text``      per-script normalisation and tokens of a comment (no I/O).
``neardup``   near-duplicate groups of comments: MinHash LSH candidates, verified pairs,
              groups in which every member verifies against the group's representative;
              a bulk grouping and an incremental index.
``waves``     per-signature features and the rules that flag scripted waves.
``files``     the same logic over JSON Lines files (``participation integrity ...``).

The library modules are pure Python/NumPy over lists of rows, so the platform's jobs and the
analysts' command run exactly the same logic.
"""
