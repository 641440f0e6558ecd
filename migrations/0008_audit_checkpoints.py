from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0007_accountability")]

    initial = False

    operations: list = []
