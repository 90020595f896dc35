"""Stage 7, places: EVENTS.md section 5, rules in order -> place and place_basis; the surface ties (roles, dates, locatives) between a trigger and what surrounds it."""
