"""Feedback reports of any host ``(target_type, target_id)``, built by jobs as versioned
snapshots. The host domain passes its builder (an async function of the target id and a
progress callback returning the report data as JSON-able dicts); this package knows nothing
about consultations."""
