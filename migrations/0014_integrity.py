from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0013_reports")]

    initial = False

    operations: list = []
