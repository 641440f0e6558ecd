from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0009_integrity")]

    initial = False

    operations: list = []
