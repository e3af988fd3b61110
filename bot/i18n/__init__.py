"""Languages: the registry (locales/languages.yml), the catalogs read from the .po files, the keyword lists,
language detection, the translate-first list, and the Babel extractors that gather the translatable text."""
