from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0006_reports")]

    initial = False

    operations: list = []
