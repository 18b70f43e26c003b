from django.db import migrations, models


class Migration(migrations.Migration):
    """One row per content model beside the site-wide one, which keeps its data (model "")."""

    dependencies = [
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentversion",
            name="model",
            field=models.CharField(blank=True, default="", max_length=100, unique=True),
        ),
    ]
