from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0010_privacy")]

    initial = False

    operations: list = []
