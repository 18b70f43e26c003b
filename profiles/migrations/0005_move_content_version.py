from django.db import migrations


class Migration(migrations.Migration):
    """ContentVersion moves to the pagecache app; its table (and row) are kept, renamed."""

    dependencies = [
        ("profile", "0004_issue6_upload_validation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("ContentVersion", "pagecache_contentversion"),
            ],
            state_operations=[
                migrations.DeleteModel("ContentVersion"),
            ],
        ),
    ]
