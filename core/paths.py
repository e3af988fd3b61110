"""Where the project's folders are, defined once (Rasa-free)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOMAIN_DIR = PROJECT_ROOT / "domain"
LOCALES_DIR = PROJECT_ROOT / "locales"
BUILD_DIR = PROJECT_ROOT / "build"
MODELS_DIR = PROJECT_ROOT / "models"

DATA_DIR = PROJECT_ROOT / "data"
NLU_DIR = DATA_DIR / "nlu"  # training examples, one folder per language
PLACES_DIR = DATA_DIR / "places"
COURTS_DIR = DATA_DIR / "courts"
LEGAL_DIR = DATA_DIR / "legal"
FACTS_DIR = DATA_DIR / "facts"
DIRECTORY_DIR = DATA_DIR / "directory"
STATS_DATA_DIR = DATA_DIR / "stats"
VENDOR_DIR = PROJECT_ROOT / "vendor"  # third-party files kept as published (vendor/hsds-3.0: Open Referral HSDS 3.0)
