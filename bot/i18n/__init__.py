"""Languages: the registry (locales/languages.yml), the compiled catalogs, the keyword lists, language
detection, and the Babel extractors that gather the translatable text."""
