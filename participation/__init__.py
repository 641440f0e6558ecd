"""Citizen participation and e-consultation platform: the core shared by every domain."""
