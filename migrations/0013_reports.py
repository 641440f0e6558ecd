from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0012_performance")]

    initial = False

    operations: list = []
