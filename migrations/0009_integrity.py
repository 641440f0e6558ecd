from tortoise import migrations


class Migration(migrations.Migration):
    dependencies = [("models", "0008_audit_checkpoints")]

    initial = False

    operations: list = []
