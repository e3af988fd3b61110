"""Commands for translators and maintainers: each module is a thin command line over library code in core/
and bot/ (make directory, make catalogs, make locale, make preview, make stats, make cv, ...)."""
