"""Stage 6, geo: the offline gazetteer, toponym finding and resolution (and the optional online geocoder)."""
