from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes over profile.ContentVersion's table (renamed by profile 0005), data included."""

    initial = True

    dependencies = [
        ("profile", "0005_move_content_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("changed", models.DateTimeField()),
                    ],
                ),
            ],
        ),
    ]
