"""Keep Project.search_context (host, region, successor region, programme names) in step.

A generated column cannot read other tables, so a BEFORE trigger fills the column
that the generated search document reads, and renaming an organisation, a region or
a programme touches the projects that mention it.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION programmes_project_search_context() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_context := concat_ws(' ',
    (SELECT name FROM lab_organisation WHERE id = NEW.host_id),
    (SELECT name FROM lab_region WHERE id = NEW.region_id),
    (SELECT s.name FROM lab_region r JOIN lab_region s ON s.id = r.successor_id WHERE r.id = NEW.region_id),
    (SELECT name FROM programmes_programme WHERE id = NEW.programme_id)
  );
  RETURN NEW;
END;
$$;

CREATE TRIGGER programmes_project_search_context
BEFORE INSERT OR UPDATE ON programmes_project
FOR EACH ROW EXECUTE FUNCTION programmes_project_search_context();

CREATE OR REPLACE FUNCTION programmes_touch_projects() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name IS DISTINCT FROM OLD.name THEN
    IF TG_TABLE_NAME = 'lab_organisation' THEN
      UPDATE programmes_project SET search_context = '' WHERE host_id = NEW.id;
    ELSIF TG_TABLE_NAME = 'lab_region' THEN
      UPDATE programmes_project SET search_context = ''
       WHERE region_id = NEW.id OR region_id IN (SELECT id FROM lab_region WHERE successor_id = NEW.id);
    ELSE
      UPDATE programmes_project SET search_context = '' WHERE programme_id = NEW.id;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER programmes_touch_projects AFTER UPDATE OF name ON lab_organisation
FOR EACH ROW EXECUTE FUNCTION programmes_touch_projects();
CREATE TRIGGER programmes_touch_projects AFTER UPDATE OF name ON lab_region
FOR EACH ROW EXECUTE FUNCTION programmes_touch_projects();
CREATE TRIGGER programmes_touch_projects AFTER UPDATE OF name ON programmes_programme
FOR EACH ROW EXECUTE FUNCTION programmes_touch_projects();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS programmes_touch_projects ON programmes_programme;
DROP TRIGGER IF EXISTS programmes_touch_projects ON lab_region;
DROP TRIGGER IF EXISTS programmes_touch_projects ON lab_organisation;
DROP FUNCTION IF EXISTS programmes_touch_projects();
DROP TRIGGER IF EXISTS programmes_project_search_context ON programmes_project;
DROP FUNCTION IF EXISTS programmes_project_search_context();
"""


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
