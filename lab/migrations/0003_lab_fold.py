"""lab_fold(text): lower case without accents, for accent-insensitive French search.

IMMUTABLE so it can feed stored generated tsvector columns; core Postgres only
(the embedded server has no unaccent extension).
"""

from django.db import migrations

FOLD = """
CREATE OR REPLACE FUNCTION lab_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(
    replace(replace(lower(t), 'œ', 'oe'), 'æ', 'ae'),
    'àâäáãåéèêëíìîïóòôöõúùûüçñÿ’',
    'aaaaaaeeeeiiiiooooouuuucny'''
  )
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("lab", "0002_regions")]

    operations = [migrations.RunSQL(FOLD, "DROP FUNCTION IF EXISTS lab_fold(text);")]
