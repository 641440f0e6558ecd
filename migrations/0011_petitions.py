from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from petitions.queries import search_text


async def fill_search_text(apps: Any, schema_editor: Any) -> None:
    """The petitions written before the search: their search text from their title and texts."""
    client = schema_editor.client
    _, rows = await client.execute_query(
        "SELECT id, title, action, background, details FROM petitions"
    )
    for r in rows:
        text = search_text(r["title"], r["action"], r["background"], r["details"])
        if client.capabilities.dialect == "postgres":
            await client.execute_query(
                "UPDATE petitions SET search_text = $1 WHERE id = $2", [text, r["id"]]
            )
        else:
            await client.execute_query(
                "UPDATE petitions SET search_text = ? WHERE id = ?", [text, r["id"]]
            )


class Migration(migrations.Migration):
    dependencies = [("models", "0010_privacy")]

    initial = False

    operations: list = [
        ops.AddField(
            model_name="Petition",
            name="search_text",
            field=fields.TextField(default="", db_default=""),
        ),
        ops.AddField(
            model_name="Signature",
            name="reviewed",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Petition",
            name="under_review",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(fill_search_text, ops.RunPython.noop),
        # Sponsors are confirmed people: the per-address rule no longer holds their signatures
        # (a moderator's invalidation still does). The nightly recount adds them to the counts.
        ops.RunSQL(
            "UPDATE petition_signatures SET suspect = false"
            " WHERE sponsor = true AND suspect = true AND invalidation_id IS NULL",
            reverse_sql="SELECT 1",
        ),
    ]
