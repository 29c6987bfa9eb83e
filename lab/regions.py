"""Every French region before and after the 2016 reform, by INSEE code.

Loaded by a data migration; `ensure_regions` can put them back at any time
(tests that flush the database call it).
"""

CURRENT = [
    ("11", "Île-de-France", "ile-de-france"),
    ("24", "Centre-Val de Loire", "centre-val-de-loire"),
    ("27", "Bourgogne-Franche-Comté", "bourgogne-franche-comte"),
    ("28", "Normandie", "normandie"),
    ("32", "Hauts-de-France", "hauts-de-france"),
    ("44", "Grand Est", "grand-est"),
    ("52", "Pays de la Loire", "pays-de-la-loire"),
    ("53", "Bretagne", "bretagne"),
    ("75", "Nouvelle-Aquitaine", "nouvelle-aquitaine"),
    ("76", "Occitanie", "occitanie"),
    ("84", "Auvergne-Rhône-Alpes", "auvergne-rhone-alpes"),
    ("93", "Provence-Alpes-Côte d'Azur", "provence-alpes-cote-d-azur"),
    ("94", "Corse", "corse"),
]

# (code, name, slug, code of the region it became on 1 January 2016)
PRE2016 = [
    ("11", "Île-de-France", "ile-de-france-avant-2016", "11"),
    ("21", "Champagne-Ardenne", "champagne-ardenne", "44"),
    ("22", "Picardie", "picardie", "32"),
    ("23", "Haute-Normandie", "haute-normandie", "28"),
    ("24", "Centre", "centre", "24"),
    ("25", "Basse-Normandie", "basse-normandie", "28"),
    ("26", "Bourgogne", "bourgogne", "27"),
    ("31", "Nord-Pas-de-Calais", "nord-pas-de-calais", "32"),
    ("41", "Lorraine", "lorraine", "44"),
    ("42", "Alsace", "alsace", "44"),
    ("43", "Franche-Comté", "franche-comte", "27"),
    ("52", "Pays de la Loire", "pays-de-la-loire-avant-2016", "52"),
    ("53", "Bretagne", "bretagne-avant-2016", "53"),
    ("54", "Poitou-Charentes", "poitou-charentes", "75"),
    ("72", "Aquitaine", "aquitaine", "75"),
    ("73", "Midi-Pyrénées", "midi-pyrenees", "76"),
    ("74", "Limousin", "limousin", "75"),
    ("82", "Rhône-Alpes", "rhone-alpes", "84"),
    ("83", "Auvergne", "auvergne", "84"),
    ("91", "Languedoc-Roussillon", "languedoc-roussillon", "76"),
    ("93", "Provence-Alpes-Côte d'Azur", "provence-alpes-cote-d-azur-avant-2016", "93"),
    ("94", "Corse", "corse-avant-2016", "94"),
]

OVERSEAS = [
    ("01", "Guadeloupe", "guadeloupe"),
    ("02", "Martinique", "martinique"),
    ("03", "Guyane", "guyane"),
    ("04", "La Réunion", "la-reunion"),
    ("06", "Mayotte", "mayotte"),
]


def ensure_regions(Region) -> None:
    """Create or update all regions; safe to run again."""
    current = {}
    for code, name, slug in CURRENT:
        current[code], _ = Region.objects.update_or_create(
            code=code, generation="current", defaults={"name": name, "slug": slug}
        )
    for code, name, slug, successor in PRE2016:
        Region.objects.update_or_create(
            code=code,
            generation="pre2016",
            defaults={"name": name, "slug": slug, "successor": current[successor]},
        )
    for code, name, slug in OVERSEAS:
        Region.objects.update_or_create(
            code=code, generation="overseas", defaults={"name": name, "slug": slug}
        )
