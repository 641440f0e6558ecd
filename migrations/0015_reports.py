from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0014_integrity")]

    initial = False

    operations: list = []
