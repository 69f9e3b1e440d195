from django.db import migrations

def fwd(apps, schema_editor):
    pass

class Migration(migrations.Migration):
    operations = [migrations.RunPython(fwd)]
