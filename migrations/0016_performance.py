from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0015_reports")]

    initial = False

    operations: list = []
