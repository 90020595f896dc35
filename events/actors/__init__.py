"""Stage 4, actors: mentions -> canonical actors (dictionary, coreference within the document, sectors and states)."""
